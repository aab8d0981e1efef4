// The demo never prints a secret: every line a child process writes passes through here, and any
// lab secret value in it is replaced before it reaches the terminal (defence in depth: the product
// itself never prints them).
export function redactor(secrets: readonly string[]): (text: string) => string {
    const values = secrets.filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
    return (text: string) => values.reduce((t, v) => t.split(v).join("[redacted]"), text);
}

// The "created by this tool" marker, kept at the end of a profile's description. The description is
// the one free-text field that Intune stores and returns unchanged on every read, so it carries:
// - the ownership marker that lets a later run adopt the profile instead of creating a duplicate
//   (e.g. after a create whose response was lost), and refuse to take over someone else's;
// - for custom OMA-URI profiles, the sha256 of the payload, because Graph masks the value itself.
//
//   <user description>\n\nManaged by pulumi-entra-kerberos; edits in the portal are reverted. sha256=<hex>

const MARKER_TEXT = "Managed by pulumi-entra-kerberos; edits in the portal are reverted.";
const SEPARATOR = "\n\n";
const MARKER_RE = /(?:^|\n\n)Managed by pulumi-entra-kerberos; edits in the portal are reverted\.(?: sha256=([0-9a-f]{64}))?$/;

/** The full description to send: the user's text (if any), then the marker, then the hash (if any). */
export function markedDescription(userDescription: string | undefined, contentHash?: string): string {
    const marker = contentHash ? `${MARKER_TEXT} sha256=${contentHash}` : MARKER_TEXT;
    return userDescription ? `${userDescription}${SEPARATOR}${marker}` : marker;
}

export interface ParsedDescription {
    /** the description without the marker (the whole text when there is no marker) */
    userDescription: string;
    marked: boolean;
    contentHash?: string;
}

export function parseDescription(description: string | null | undefined): ParsedDescription {
    const text = description ?? "";
    const m = MARKER_RE.exec(text);
    if (!m) return { userDescription: text, marked: false };
    return { userDescription: text.slice(0, m.index), marked: true, ...(m[1] ? { contentHash: m[1] } : {}) };
}

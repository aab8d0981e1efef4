// pulumi-language-nodejs: a compact Node.js language host for the Pulumi engine.
//
// The upstream host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
// is not served by the module mirror this project can reach, so this host is built instead,
// against the same pkg/sdk versions as the CLI. It speaks the LanguageRuntime gRPC protocol
// and delegates all real work to the scripts that ship inside the @pulumi/pulumi npm package
// (cmd/run, cmd/run-plugin, cmd/run-policy-pack), resolved from the program's directory.
//
// Implemented: Handshake, GetPluginInfo, Run, RunPlugin (providers and policy packs),
// GetRequiredPackages/GetRequiredPlugins (node_modules scan), InstallDependencies,
// GetProgramDependencies, About, RuntimeOptionsPrompts. Code generation RPCs
// (GenerateProgram/Project/Package, Pack, Link, Template) answer Unimplemented.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// exitCodeAlreadyReported is what @pulumi/pulumi's run scripts exit with after they have
// already shown the user an actionable error; the engine should not add another message.
const exitCodeAlreadyReported = 32

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	tracing := flag.String("tracing", "", "emit tracing to a Zipkin-compatible endpoint")
	typescript := flag.Bool("typescript", true, "run TypeScript sources through ts-node")
	nodeargs := flag.String("nodeargs", "", "extra arguments for node")
	packagemanager := flag.String("packagemanager", "", "npm, yarn, pnpm or bun")
	_ = flag.String("root", "", "project root (accepted for compatibility)")
	_ = flag.String("binary", "", "unused (accepted for compatibility)")
	flag.Parse()

	if *showVersion {
		fmt.Println(version.Version)
		return
	}

	logging.InitLogging(false, 0, false)
	cmdutil.InitTracing("pulumi-language-nodejs", "pulumi-language-nodejs", *tracing)

	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}

	host := &nodeHost{
		engineAddress: engineAddress,
		tracing:       *tracing,
		defaults: runtimeOptions{
			typescript:     *typescript,
			nodeargs:       *nodeargs,
			packagemanager: *packagemanager,
		},
	}

	// Stop serving when the engine goes away (e.g. the CLI was killed), so that no orphaned
	// language host lingers; the engine normally closes us itself.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}

	// The engine reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

type runtimeOptions struct {
	typescript     bool
	nodeargs       string
	packagemanager string
}

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	tracing       string
	defaults      runtimeOptions
}

func (h *nodeHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// options merges the Pulumi.yaml `runtime.options` with the command-line defaults.
func (h *nodeHost) options(info *pulumirpc.ProgramInfo) runtimeOptions {
	opts := h.defaults
	var fields map[string]*structpb.Value
	if info != nil && info.GetOptions() != nil {
		fields = info.GetOptions().GetFields()
	}
	if v, ok := fields["typescript"]; ok {
		switch k := v.GetKind().(type) {
		case *structpb.Value_BoolValue:
			opts.typescript = k.BoolValue
		case *structpb.Value_StringValue:
			opts.typescript = strings.EqualFold(k.StringValue, "true")
		}
	}
	if v, ok := fields["nodeargs"]; ok {
		opts.nodeargs = v.GetStringValue()
	}
	if v, ok := fields["packagemanager"]; ok {
		opts.packagemanager = v.GetStringValue()
	}
	return opts
}

// programDir returns the directory holding the program (falls back to the given pwd).
func programDir(info *pulumirpc.ProgramInfo, pwd string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	if pwd != "" {
		return pwd
	}
	wd, _ := os.Getwd()
	return wd
}

func nodeBinary() (string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	return node, nil
}

// resolveModule asks node where `mod` resolves to when required from `dir`.
func resolveModule(ctx context.Context, node, dir, mod string) (string, error) {
	script := fmt.Sprintf("console.log(require.resolve(%q))", mod)
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not resolve %s from %s: %w: %s", mod, dir, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

const sdkMissing = "It looks like the Pulumi SDK has not been installed. Have you run npm install or yarn install?"

func (h *nodeHost) Handshake(ctx context.Context,
	req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := programDir(info, req.GetPwd())
	opts := h.options(info)

	node, err := nodeBinary()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		if runPath, err = resolveModule(ctx, node, dir, "@pulumi/pulumi/cmd/run"); err != nil {
			logging.V(3).Infof("%v", err)
			return &pulumirpc.RunResponse{Error: sdkMissing}, nil
		}
	}

	args := strings.Fields(opts.nodeargs)
	args = append(args, runPath)
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engine())
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("stack", req.GetStack())
	if info != nil {
		flagArg("root-directory", info.GetRootDirectory())
	}
	pwd := req.GetPwd()
	if pwd == "" {
		pwd = dir
	}
	flagArg("pwd", pwd)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		flagArg("parallel", fmt.Sprint(req.GetParallel()))
	}
	flagArg("tracing", h.tracing)

	program := req.GetProgram()
	if info != nil && info.GetEntryPoint() != "" {
		program = info.GetEntryPoint()
	}
	if program == "" {
		program = "."
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("serializing config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serializing config secret keys: %w", err)
	}

	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
		fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", opts.typescript),
	)

	logging.V(5).Infof("language host launching: %s %s", node, strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = pwd
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr

	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code := exitErr.ExitCode()
			if code == exitCodeAlreadyReported {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			if code < 0 {
				return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", exitErr)}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// streamWriter forwards bytes to a gRPC server stream.
type streamWriter struct {
	mu   *sync.Mutex
	send func([]byte) error
}

func (w streamWriter) Write(p []byte) (int, error) {
	buf := make([]byte, len(p))
	copy(buf, p)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.send(buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (h *nodeHost) RunPlugin(req *pulumirpc.RunPluginRequest,
	server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	ctx := server.Context()
	info := req.GetInfo()
	dir := programDir(info, req.GetPwd())
	opts := h.options(info)

	node, err := nodeBinary()
	if err != nil {
		return err
	}

	var args []string
	if req.GetKind() == "analyzer" {
		script, err := resolveModule(ctx, node, dir, "@pulumi/pulumi/cmd/run-policy-pack")
		if err != nil {
			return fmt.Errorf("%s: %w", sdkMissing, err)
		}
		// run-policy-pack expects: <engine-address> <program>
		args = append(strings.Fields(opts.nodeargs), script)
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	} else {
		script, err := resolveModule(ctx, node, dir, "@pulumi/pulumi/cmd/run-plugin")
		if err != nil {
			return fmt.Errorf("%s: %w", sdkMissing, err)
		}
		// run-plugin expects: <program> [args...]
		args = append(strings.Fields(opts.nodeargs), script, dir)
		args = append(args, req.GetArgs()...)
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	if len(req.GetEnv()) > 0 {
		cmd.Env = req.GetEnv()
	} else {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", opts.typescript))

	var mu sync.Mutex
	cmd.Stdout = streamWriter{mu: &mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	cmd.Stderr = streamWriter{mu: &mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}

	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = int32(exitErr.ExitCode())
	}
	mu.Lock()
	defer mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// packageJSON is the part of package.json that matters for plugin discovery.
type packageJSON struct {
	Name    string                  `json:"name"`
	Version string                  `json:"version"`
	Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
}

// findNodeModules returns the nearest node_modules directory at or above dir.
func findNodeModules(dir string) string {
	for d := dir; ; {
		candidate := filepath.Join(d, "node_modules")
		if st, err := os.Stat(candidate); err == nil && st.IsDir() {
			return candidate
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// scanPackages visits every package (including @scope/ packages and nested node_modules)
// under a node_modules directory and reports those that declare a Pulumi resource plugin.
func scanPackages(nodeModules string, visit func(path string, pkg packageJSON)) {
	seen := map[string]bool{}
	var walk func(dir string, depth int)
	walk = func(dir string, depth int) {
		if depth > 32 {
			return
		}
		real, err := filepath.EvalSymlinks(dir)
		if err != nil || seen[real] {
			return
		}
		seen[real] = true
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			p := filepath.Join(dir, name)
			if strings.HasPrefix(name, "@") {
				scoped, err := os.ReadDir(p)
				if err != nil {
					continue
				}
				for _, s := range scoped {
					visitPackage(filepath.Join(p, s.Name()), depth, walk, visit)
				}
				continue
			}
			visitPackage(p, depth, walk, visit)
		}
	}
	walk(nodeModules, 0)
}

func visitPackage(dir string, depth int, walk func(string, int), visit func(string, packageJSON)) {
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err == nil {
		var pkg packageJSON
		if json.Unmarshal(b, &pkg) == nil {
			visit(dir, pkg)
		} else {
			logging.V(3).Infof("ignoring unreadable %s/package.json", dir)
		}
	}
	nested := filepath.Join(dir, "node_modules")
	if st, err := os.Stat(nested); err == nil && st.IsDir() {
		walk(nested, depth+1)
	}
}

func pluginName(pkg packageJSON) string {
	if pkg.Pulumi.Name != "" {
		return pkg.Pulumi.Name
	}
	name := pkg.Name
	if strings.HasPrefix(name, "@pulumi/") {
		return strings.TrimPrefix(name, "@pulumi/")
	}
	return strings.TrimPrefix(name, "@")
}

func pluginVersion(pkg packageJSON) string {
	v := pkg.Pulumi.Version
	if v == "" {
		v = pkg.Version
	}
	if v != "" && !strings.HasPrefix(v, "v") {
		v = "v" + v
	}
	return v
}

func parameterization(p *plugin.PulumiParameterizationJSON) *pulumirpc.PackageParameterization {
	if p == nil {
		return nil
	}
	return &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
}

func requiredPackages(dir string) []*pulumirpc.PackageDependency {
	nodeModules := findNodeModules(dir)
	if nodeModules == "" {
		return nil
	}
	var result []*pulumirpc.PackageDependency
	seen := map[string]bool{}
	pulumiVersions := map[string]string{}
	scanPackages(nodeModules, func(path string, pkg packageJSON) {
		if pkg.Name == "@pulumi/pulumi" {
			pulumiVersions[path] = pkg.Version
		}
		if !pkg.Pulumi.Resource {
			return
		}
		name, ver := pluginName(pkg), pluginVersion(pkg)
		if name == "" {
			return
		}
		if ver != "" {
			if _, err := semver.ParseTolerant(ver); err != nil {
				logging.V(3).Infof("ignoring plugin %s with unparsable version %q", name, ver)
				return
			}
		}
		dep := &pulumirpc.PackageDependency{
			Kind:             "resource",
			Name:             name,
			Version:          ver,
			Server:           pkg.Pulumi.Server,
			Parameterization: parameterization(pkg.Pulumi.Parameterization),
			Extension:        parameterization(pkg.Pulumi.ExtensionParameterization),
		}
		key := fmt.Sprintf("%s@%s|%v|%v", dep.Name, dep.Version, dep.Parameterization, dep.Extension)
		if seen[key] {
			return
		}
		seen[key] = true
		result = append(result, dep)
	})
	warnMixedSDKMajors(pulumiVersions)
	sort.SliceStable(result, func(i, j int) bool { return result[i].Name < result[j].Name })
	return result
}

func warnMixedSDKMajors(versions map[string]string) {
	majors := map[uint64]string{}
	for path, v := range versions {
		sv, err := semver.ParseTolerant(v)
		if err != nil {
			continue
		}
		majors[sv.Major] = path
	}
	if len(majors) > 1 {
		fmt.Fprintf(os.Stderr, "Found incompatible major versions of @pulumi/pulumi: %v\n", versions)
	}
}

func (h *nodeHost) GetRequiredPackages(ctx context.Context,
	req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{
		Packages: requiredPackages(programDir(req.GetInfo(), "")),
	}, nil
}

//nolint:staticcheck // deprecated RPC kept for older engines
func (h *nodeHost) GetRequiredPlugins(ctx context.Context,
	req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	var plugins []*pulumirpc.PluginDependency
	for _, p := range requiredPackages(dir) {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server, Checksums: p.Checksums,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *nodeHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := req.GetDirectory()
	if req.GetInfo() != nil && req.GetInfo().GetProgramDirectory() != "" {
		dir = req.GetInfo().GetProgramDirectory()
	}
	opts := h.options(req.GetInfo())
	var mu sync.Mutex
	stdout := streamWriter{mu: &mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	stderr := streamWriter{mu: &mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}
	pm := npm.PackageManagerType(opts.packagemanager)
	if pm == "" {
		pm = npm.AutoPackageManager
	}
	name, err := npm.Install(server.Context(), pm, dir, false, stdout, stderr)
	if err != nil {
		return fmt.Errorf("%s install failed in %s: %w", name, dir, err)
	}
	return nil
}

func (h *nodeHost) GetProgramDependencies(ctx context.Context,
	req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	opts := h.options(req.GetInfo())
	pm := npm.PackageManagerType(opts.packagemanager)
	if pm == "" {
		pm = npm.AutoPackageManager
	}
	manager, err := npm.ResolvePackageManager(pm, dir)
	if err != nil {
		return nil, err
	}
	deps, err := manager.ListPackages(ctx, dir, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	result := make([]*pulumirpc.DependencyInfo, 0, len(deps))
	for _, d := range deps {
		result = append(result, &pulumirpc.DependencyInfo{Name: d.Name, Version: d.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: result}, nil
}

func (h *nodeHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := nodeBinary()
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("running node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

func (h *nodeHost) RuntimeOptionsPrompts(ctx context.Context,
	req *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

var _ io.Writer = streamWriter{}

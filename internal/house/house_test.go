// Package house holds the tests of the rules of the house (README's
// layout, the design's architecture) that no package's own tests can see:
// which package may import which, where an operation is written, what
// the wiring may and may not do. They read the source as it is, so a
// change that breaks a rule fails here.
package house

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "pinhole"

// pkg is one package of the module, its production files parsed.
type pkg struct {
	path    string   // import path
	imports []string // the module's packages it imports
	files   []*ast.File
	fset    *token.FileSet
	names   []string // the files' names, as in files
}

// packages lists the module's packages (not the benchmarks' programs),
// their non-test files parsed.
func packages(t *testing.T) map[string]*pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{.Dir}}|{{join .GoFiles \",\"}}|{{join .Imports \",\"}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]*pkg{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		path, dir := f[0], f[1]
		if strings.HasPrefix(path, module+"/bench/") {
			continue
		}
		p := &pkg{path: path, fset: token.NewFileSet()}
		for _, imp := range strings.Split(f[3], ",") {
			if imp == module || strings.HasPrefix(imp, module+"/") {
				p.imports = append(p.imports, imp)
			}
		}
		for _, name := range strings.Split(f[2], ",") {
			if name == "" {
				continue
			}
			file, err := parser.ParseFile(p.fset, filepath.Join(dir, name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			p.files, p.names = append(p.files, file), append(p.names, filepath.Join(strings.TrimPrefix(path, module+"/"), name))
		}
		pkgs[path] = p
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

// within reports whether path is root or below it.
func within(path, root string) bool { return path == root || strings.HasPrefix(path, root+"/") }

// TestImports: dependencies point one way (cmd → server/*, tui → studio →
// media, db). db and media import nothing of ours outside themselves, no
// package imports cmd, and sshd imports what it runs (the commands, the
// TUI, studio) instead of being handed it.
func TestImports(t *testing.T) {
	pkgs := packages(t)
	rules := []struct {
		from   string
		may    func(imp string) bool
		reason string
	}{
		{module + "/db", func(imp string) bool { return within(imp, module+"/db") }, "db imports no other package of ours"},
		{module + "/media", func(imp string) bool { return within(imp, module+"/media") }, "media imports no other package of ours"},
		{module + "/studio", func(imp string) bool {
			return !within(imp, module+"/cli") && !within(imp, module+"/tui") && !within(imp, module+"/server")
		}, "studio is below the interfaces"},
		{module + "/tui", func(imp string) bool { return !within(imp, module+"/cli") && !within(imp, module+"/server") }, "the TUI knows nothing of SSH or the commands"},
		{module + "/server/web", func(imp string) bool {
			return !within(imp, module+"/cli") && !within(imp, module+"/tui") && !within(imp, module+"/server/sshd")
		}, "the website and SSH are apart"},
		{module + "/cli", func(imp string) bool { return !within(imp, module+"/server") }, "the commands run the servers only through cmd/pinhole"},
	}
	for path, p := range pkgs {
		for _, imp := range p.imports {
			if within(imp, module+"/cmd") {
				t.Errorf("%s imports %s: no package imports cmd", path, imp)
			}
			for _, r := range rules {
				if within(path, r.from) && !strings.Contains(path, "test") && !r.may(imp) {
					t.Errorf("%s imports %s: %s", path, imp, r.reason)
				}
			}
		}
	}
	sshd := pkgs[module+"/server/sshd"]
	for _, want := range []string{"cli", "tui", "studio"} {
		if !slices.Contains(sshd.imports, module+"/"+want) {
			t.Errorf("server/sshd does not import %s: it runs it itself", want)
		}
	}
}

// TestNoCallbacksFromMain: what the servers, the commands and the TUI are
// configured with holds values, not functions that main fills in to reach
// upward; and no init rewires anything.
func TestNoCallbacksFromMain(t *testing.T) {
	pkgs := packages(t)
	// The environment is read through a function, as os.Getenv is.
	allowed := map[string]bool{"Env.Getenv": true}
	for _, path := range []string{"cli", "server/sshd", "server/web", "tui", "cmd/pinhole"} {
		p := pkgs[module+"/"+path]
		if p == nil {
			t.Fatalf("no package %s", path)
		}
		for i, f := range p.files {
			for _, d := range f.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "init" {
					t.Errorf("%s: func init in %s", p.names[i], path)
				}
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, s := range gd.Specs {
					ts := s.(*ast.TypeSpec)
					st, ok := ts.Type.(*ast.StructType)
					if !ok || !ts.Name.IsExported() {
						continue
					}
					for _, field := range st.Fields.List {
						if _, isFunc := field.Type.(*ast.FuncType); !isFunc {
							continue
						}
						for _, n := range field.Names {
							if n.IsExported() && !allowed[ts.Name.Name+"."+n.Name] {
								t.Errorf("%s: %s.%s is a function a caller fills in", p.names[i], ts.Name.Name, n.Name)
							}
						}
					}
				}
			}
		}
	}
}

// studioOwns are the store's writes that span rows and that studio
// wraps as the photographer's operations: the commands, the TUI and SSH
// call studio's, so each is reached one way.
var studioOwns = []string{"CreateGallery", "UpdateGallery", "SaveClient", "Grant", "Revoke", "DeleteClient", "DeleteGallery", "AddPhotos"}

// TestOperationsInStudio: the commands, the TUI and the SSH endpoint call
// none of the store's writes that studio owns.
func TestOperationsInStudio(t *testing.T) {
	pkgs := packages(t)
	for _, path := range []string{"cli", "tui", "server/sshd", "cmd/pinhole"} {
		p := pkgs[module+"/"+path]
		for _, f := range p.files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || !slices.Contains(studioOwns, sel.Sel.Name) {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "studio" {
					return true
				}
				t.Errorf("%s: calls %s directly: call studio's", p.fset.Position(call.Pos()), sel.Sel.Name)
				return true
			})
		}
	}
}

// TestRenditionSizes: the renditions' sizes are only in media's table;
// nothing else writes 512, 1024 or 2048 as a number.
func TestRenditionSizes(t *testing.T) {
	pkgs := packages(t)
	sizes := map[string]bool{"512": true, "1024": true, "2048": true}
	for path, p := range pkgs {
		if within(path, module+"/media/internal") || strings.HasSuffix(path, "test") {
			continue
		}
		for i, f := range p.files {
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.INT || !sizes[lit.Value] {
					return true
				}
				if p.names[i] == "media/renditions.go" {
					return true
				}
				t.Errorf("%s: the number %s outside media's table of renditions", p.fset.Position(lit.Pos()), lit.Value)
				return true
			})
		}
	}
}

// commandAdvice is a command line in a message: "pinhole import …",
// "run …", a flag.
var commandAdvice = regexp.MustCompile(`\bpinhole [a-z]|(^|[\s(])--[a-z]|\brun pinhole\b`)

// TestDBErrorsNameNoCommand: the store's messages say what is wrong, not
// which command to type: they show in the TUI and over SSH too.
func TestDBErrorsNameNoCommand(t *testing.T) {
	p := packages(t)[module+"/db"]
	for _, f := range p.files {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !commandAdvice.MatchString(s) {
				return true
			}
			t.Errorf("%s: %q names a command", p.fset.Position(lit.Pos()), s)
			return true
		})
	}
}

// TestReadmeLayout: README's layout section starts a line with every
// top-level folder and names every package (by its path, or its name
// under its folder's line); every folder it starts a line with is there.
func TestReadmeLayout(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## Layout of the code\n")
	if !ok {
		t.Fatal("README has no layout section")
	}
	_, block, _ := strings.Cut(section, "```\n")
	block, _, _ = strings.Cut(block, "```\n")
	listed := map[string]bool{}
	for _, line := range strings.Split(block, "\n") {
		if line == "" || line[0] == ' ' {
			continue
		}
		name := strings.TrimSuffix(strings.Fields(line)[0], "/")
		listed[name] = true
		if _, err := os.Stat(filepath.Join("../..", name)); err != nil {
			t.Errorf("README's layout lists %s, which is not there", name)
		}
	}
	ents, err := os.ReadDir("../..")
	if err != nil {
		t.Fatal(err)
	}
	// Folders .gitignore keeps out of the repository (CI's artifacts/, a
	// built bin/) are no part of the code's layout.
	ignore, err := os.ReadFile("../../.gitignore")
	if err != nil {
		t.Fatal(err)
	}
	ignored := map[string]bool{}
	for _, l := range strings.Split(string(ignore), "\n") {
		if name, ok := strings.CutPrefix(strings.TrimSpace(l), "/"); ok && strings.HasSuffix(name, "/") {
			ignored[strings.TrimSuffix(name, "/")] = true
		}
	}
	for _, e := range ents {
		if !e.IsDir() || ignored[e.Name()] || (strings.HasPrefix(e.Name(), ".") && e.Name() != ".ci") {
			continue
		}
		if !listed[e.Name()] && !slices.ContainsFunc(slices.Collect(maps.Keys(listed)), func(l string) bool { return strings.HasPrefix(l, e.Name()+"/") }) {
			t.Errorf("README's layout has no line for %s/", e.Name())
		}
	}
	words := regexp.MustCompile(`[A-Za-z0-9_./-]+`).FindAllString(block, -1)
	for path := range packages(t) {
		rel := strings.TrimPrefix(path, module+"/")
		if within(rel, "bench") || within(rel, "cmd") {
			continue // bench/'s line names its benchmarks; cmd/pinhole has its own
		}
		if !slices.ContainsFunc(words, func(w string) bool {
			w = strings.TrimSuffix(strings.TrimRight(w, ".,;:"), "/")
			return w == rel || w == filepath.Base(rel)
		}) {
			t.Errorf("README's layout does not name the package %s", rel)
		}
	}
}

// sharedOnPurpose are package-level variables that hold state on purpose.
var sharedOnPurpose = map[string]string{
	// SQLite's locks on the -shm file belong to the process, so its
	// mapping is one per database in the process, whatever store opens it.
	"db.walIndexes": "process-wide like the locks it keeps",
}

// TestNoPackageState: production code keeps no mutable state at package
// level (throttle locks, grace periods, test knobs are fields or options):
// no package-level variable holds a lock or an atomic, and none is
// assigned, indexed into or deleted from outside its declaration (the
// tables, errors and patterns that remain are read only).
func TestNoPackageState(t *testing.T) {
	for path, p := range packages(t) {
		rel := strings.TrimPrefix(path, module+"/")
		if strings.HasSuffix(rel, "test") || within(rel, "internal/testio") || within(rel, "internal/s3test") || within(rel, "media/internal/jpeg") {
			continue // test helpers; the standard library's decoder as it is
		}
		vars := map[string]bool{}
		for _, f := range p.files {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.VAR {
					continue
				}
				for _, s := range gd.Specs {
					vs := s.(*ast.ValueSpec)
					for j, n := range vs.Names {
						if n.Name == "_" || sharedOnPurpose[rel+"."+n.Name] != "" {
							continue
						}
						vars[n.Name] = true
						typ := vs.Type
						if cl, ok := value(vs, j).(*ast.CompositeLit); typ == nil && ok {
							typ = cl.Type
						}
						if typ != nil && lockOrAtomic.MatchString(types(typ)) {
							t.Errorf("%s: package-level %s holds a lock or an atomic", p.fset.Position(n.Pos()), n.Name)
						}
					}
				}
			}
		}
		for _, f := range p.files {
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Body == nil || (fn.Recv == nil && fn.Name.Name == "init") {
					continue
				}
				local := localNames(fn)
				written := func(e ast.Expr) {
					for {
						switch x := e.(type) {
						case *ast.IndexExpr:
							e = x.X
							continue
						case *ast.SelectorExpr:
							e = x.X
							continue
						case *ast.StarExpr:
							e = x.X
							continue
						case *ast.Ident:
							if vars[x.Name] && !local[x.Name] {
								t.Errorf("%s: %s writes the package-level %s", p.fset.Position(x.Pos()), fn.Name.Name, x.Name)
							}
						}
						return
					}
				}
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					switch s := n.(type) {
					case *ast.AssignStmt:
						for _, l := range s.Lhs {
							written(l)
						}
					case *ast.IncDecStmt:
						written(s.X)
					case *ast.CallExpr:
						if id, ok := s.Fun.(*ast.Ident); ok && (id.Name == "delete" || id.Name == "clear") && len(s.Args) > 0 {
							written(s.Args[0])
						}
					}
					return true
				})
			}
		}
	}
}

var lockOrAtomic = regexp.MustCompile(`sync\.(Mutex|RWMutex|Map|Once) |atomic\.`)

// value is the j-th value of a var spec, nil if it has none.
func value(vs *ast.ValueSpec, j int) ast.Expr {
	if j < len(vs.Values) {
		return vs.Values[j]
	}
	return nil
}

// types lists the qualified names in a type expression (sync.Mutex …).
func types(e ast.Expr) string {
	var b strings.Builder
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				b.WriteString(id.Name + "." + x.Sel.Name + " ")
			}
			return false
		}
		return true
	})
	return b.String()
}

// localNames are the names a function declares: its parameters, results
// and receiver, and its variables, which hide package-level ones.
func localNames(fn *ast.FuncDecl) map[string]bool {
	names := map[string]bool{}
	fields := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				names[n.Name] = true
			}
		}
	}
	fields(fn.Recv)
	fields(fn.Type.Params)
	fields(fn.Type.Results)
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				for _, l := range s.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range s.Names {
				names[id.Name] = true
			}
		case *ast.RangeStmt:
			if s.Tok == token.DEFINE {
				for _, e := range []ast.Expr{s.Key, s.Value} {
					if id, ok := e.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.FuncLit:
			fields(s.Type.Params)
			fields(s.Type.Results)
		}
		return true
	})
	return names
}

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// root is a copy of this machine to install into: an overlay of its root
// filesystem whose changes land in /dev/shm. Each command mounts it afresh
// in a mount namespace of its own and chroots into it, so that what the
// test installs never touches the machine, and no mount outlives the
// command, however the test ends. The machine's tools (dpkg, adduser)
// are the root's, as on a server.
type root struct {
	t      *testing.T
	layers string // the overlay's upper and work folders
	share  string // a folder of the machine's, seen as /dist in the root
}

func newRoot(t *testing.T, share string) *root {
	t.Helper()
	layers, err := os.MkdirTemp("/dev/shm", "followrank-root-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// The overlay's files are root's.
		rm := asRoot("rm", "-rf", layers)
		if out, err := exec.Command(rm[0], rm[1:]...).CombinedOutput(); err != nil {
			t.Errorf("removing the root's layers: %v\n%s", err, out)
		}
	})
	for _, d := range []string{"upper", "work", "mnt"} {
		if err := os.Mkdir(filepath.Join(layers, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &root{t: t, layers: layers, share: share}
}

// command is argv run in the root, in dir, by user ("" is root), with
// only env in its environment (and PATH). Mounting and chroot take root:
// a test that is not root runs them through sudo.
func (r *root) command(user, dir string, env []string, argv ...string) *exec.Cmd {
	m := filepath.Join(r.layers, "mnt")
	inner := []string{"env", "-i", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"}
	inner = append(inner, env...)
	inner = append(inner, "sh", "-c", `cd "$0" && exec "$@"`, dir)
	inner = append(inner, argv...)
	if user != "" {
		inner = append([]string{"setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups"}, inner...)
	}
	script := strings.Join([]string{
		"set -e",
		"mount -t overlay overlay -o " + quote("lowerdir=/,upperdir="+filepath.Join(r.layers, "upper")+",workdir="+filepath.Join(r.layers, "work")) + " " + quote(m),
		"mount --rbind /dev " + quote(m+"/dev"),
		"mount -t proc proc " + quote(m+"/proc"),
		"mount -t tmpfs tmpfs " + quote(m+"/run"), // no /run/systemd/system: the scripts start nothing
		"mkdir -p " + quote(m+"/dist"),
		"mount --bind " + quote(r.share) + " " + quote(m+"/dist"),
		"exec chroot " + quote(m) + " " + quoteAll(inner),
	}, "\n")
	argv = asRoot("unshare", "--mount", "--propagation", "private", "sh", "-c", script)
	return exec.Command(argv[0], argv[1:]...)
}

// asRoot is argv run as root: through sudo, unless the test is root.
func asRoot(argv ...string) []string {
	if os.Geteuid() == 0 {
		return argv
	}
	return append([]string{"sudo"}, argv...)
}

// run runs argv in the root as root, in /, and returns its output; a
// failure ends the test.
func (r *root) run(argv ...string) string {
	r.t.Helper()
	out, err := r.try("", "/", nil, argv...)
	if err != nil {
		r.t.Fatalf("in the root: %s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return out
}

// try runs argv in the root and returns its output, stdout and stderr
// together, and its error.
func (r *root) try(user, dir string, env []string, argv ...string) (string, error) {
	cmd := r.command(user, dir, env, argv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// exists says whether path is in the root.
func (r *root) exists(path string) bool {
	_, err := r.try("", "/", nil, "test", "-e", path)
	return err == nil
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func quoteAll(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = quote(a)
	}
	return strings.Join(q, " ")
}

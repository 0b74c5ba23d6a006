package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"pinhole/internal/testio"
)

// TestDeploy_SystemdUnit: deploy/pinhole.service is a unit systemd
// accepts (systemd-analyze verify, with this build as its program), keeps
// its sandbox, and serves the website where deploy/Caddyfile sends it.
func TestDeploy_SystemdUnit(t *testing.T) {
	testio.NeedPrograms(t, "systemd-analyze")
	unit, err := os.ReadFile("../../deploy/pinhole.service")
	if err != nil {
		t.Fatal(err)
	}
	caddy, err := os.ReadFile("../../deploy/Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	var execStart string
	set := map[string]bool{}
	for _, line := range strings.Split(string(unit), "\n") {
		if strings.HasPrefix(line, "#") || !strings.Contains(line, "=") {
			continue
		}
		set[line] = true
		if strings.HasPrefix(line, "ExecStart=") {
			execStart = line
		}
	}
	for _, want := range []string{"User=pinhole", "ProtectSystem=strict", "ReadWritePaths=/var/lib/pinhole",
		"NoNewPrivileges=yes", "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=", "SystemCallFilter=@system-service"} {
		if !set[want] {
			t.Errorf("deploy/pinhole.service lacks %s", want)
		}
	}
	for _, want := range []string{"--data /var/lib/pinhole", "--http 127.0.0.1:8080", "--trust-proxy"} {
		if !strings.Contains(execStart, want) {
			t.Errorf("deploy/pinhole.service: %q lacks %s", execStart, want)
		}
	}
	if !strings.Contains(string(caddy), "reverse_proxy 127.0.0.1:8080") {
		t.Error("deploy/Caddyfile does not send visitors to 127.0.0.1:8080, where the unit serves")
	}

	// systemd checks every key and that the program exists.
	file := filepath.Join(t.TempDir(), "pinhole.service")
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(string(unit), "/usr/local/bin/pinhole", binary(t))), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("systemd-analyze", "verify", file).CombinedOutput()
	if err != nil || strings.Contains(string(out), "pinhole.service") {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

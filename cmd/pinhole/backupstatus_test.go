package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"pinhole/internal/s3test"
)

// backupStatus is what `backup status --json` says, the fields the tests
// read.
type backupStatus struct {
	UpToDate bool `json:"up_to_date"`
	Unseen   bool `json:"unseen_changes"`
	Behind   int  `json:"behind"`
}

func readBackupStatus(t *testing.T, env []string, data, rep string) (string, backupStatus) {
	t.Helper()
	human := runPinhole(t, env, "--data", data, "backup", "status", rep)
	var st backupStatus
	if err := json.Unmarshal([]byte(runPinhole(t, env, "--data", data, "backup", "status", rep, "--json")), &st); err != nil {
		t.Fatal(err)
	}
	return human, st
}

// waitUpToDate waits until backup status says the replica is up to date,
// 15 s at most.
func waitUpToDate(t *testing.T, env []string, data, rep string, logs func() string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		human, st := readBackupStatus(t, env, data, rep)
		if strings.Contains(human, "up to date") {
			if !st.UpToDate {
				t.Errorf("status says up to date, its JSON does not: %+v", st)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica is not up to date after 15 s:\n%s%+v\n%s", human, st, logs())
		}
	}
}

// A change made while nothing replicates (a command run after serve
// --replicate stopped) is not in the replica, and backup status says so
// instead of "up to date"; it goes at the next serve --replicate. Right
// after a clean stop, and while serve runs, status says up to date.
func TestBackupStatus_ChangesMadeWhileNotReplicating(t *testing.T) {
	t.Run("folder", func(t *testing.T) {
		testChangesWhileNotReplicating(t, os.Environ(), "file://"+t.TempDir())
	})
	t.Run("bucket", func(t *testing.T) {
		srv := s3test.Start(t)
		env := append(os.Environ(), srv.Env(srv.Endpoint)...)
		env = append(env, "AWS_CA_BUNDLE=")
		testChangesWhileNotReplicating(t, env, s3test.URL(srv.Bucket(t), "studio/db"))
	})
}

func testChangesWhileNotReplicating(t *testing.T, env []string, rep string) {
	env = append(slices.Clone(env), "PINHOLE_DATA=")
	alone := append(slices.Clone(env), "PINHOLE_REPLICATE=")
	replicating := append(slices.Clone(env), "PINHOLE_REPLICATE="+rep)
	data := filepath.Join(t.TempDir(), "data")
	runPinhole(t, alone, "--data", data, "gallery", "create", "--title", "Before")

	serve := func() {
		n := startNode(t, replicating, data)
		waitUpToDate(t, alone, data, rep, n.logs.String)
		if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		<-n.exited
	}
	serve()
	human, st := readBackupStatus(t, alone, data, rep)
	if !strings.Contains(human, "up to date") {
		t.Fatalf("right after serve --replicate stopped:\n%s", human)
	}
	if !st.UpToDate || st.Unseen {
		t.Errorf("right after serve --replicate stopped, the JSON says %+v", st)
	}

	// Nothing replicates: the new gallery is only here.
	runPinhole(t, alone, "--data", data, "gallery", "create", "--title", "Made while not replicating")
	files := func() (b []string) {
		for _, name := range []string{"pinhole.db", "pinhole.db-wal"} {
			f, _ := os.ReadFile(filepath.Join(data, name))
			b = append(b, string(f))
		}
		return b
	}
	before := files()
	human, st = readBackupStatus(t, alone, data, rep)
	if !slices.Equal(files(), before) {
		t.Error("backup status changed the database")
	}
	if strings.Contains(human, "up to date") {
		t.Fatalf("after a change made while not replicating, status says:\n%s", human)
	}
	if st.UpToDate || !st.Unseen {
		t.Errorf("after a change made while not replicating, the JSON says %+v", st)
	}
	for _, want := range []string{"changes the replica does not have yet", "serve --replicate"} {
		if !strings.Contains(human, want) {
			t.Errorf("status does not say %q:\n%s", want, human)
		}
	}

	// The next serve --replicate ships it.
	serve()
	human, st = readBackupStatus(t, alone, data, rep)
	if !strings.Contains(human, "up to date") || !st.UpToDate || st.Unseen {
		t.Fatalf("after the next serve --replicate:\n%s%+v", human, st)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	runPinhole(t, alone, "--data", restored, "restore", rep)
	if list := runPinhole(t, alone, "--data", restored, "gallery", "list"); !strings.Contains(list, "Made while not replicating") {
		t.Fatalf("the replica lacks the gallery made while not replicating:\n%s", list)
	}
}

package cli

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestWriteJSONArray: the lists streamed element by element are byte for
// byte what output writes for the whole slice.
func TestWriteJSONArray(t *testing.T) {
	type item struct {
		ID   int64  `json:"id"`
		Name string `json:"name,omitempty"`
		Tags map[string]string
	}
	for _, items := range [][]item{nil, {{ID: 1}}, {{ID: 1, Name: "<a & b>"}, {ID: 2, Tags: map[string]string{"x": "y"}}}} {
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.Encode(append([]item{}, items...))
		err := writeJSONArray(&got, func(emit func(any) error) error {
			for _, it := range items {
				if err := emit(it); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || got.String() != want.String() {
			t.Errorf("streamed %q (%v), want %q", got.String(), err, want.String())
		}
	}
}

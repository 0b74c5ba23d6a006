package sshd

import (
	"errors"
	"slices"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		line string
		want []string
		err  error
	}{
		{"", nil, nil},
		{"  gallery   list  ", []string{"gallery", "list"}, nil},
		{"gallery create --title 'Smith wedding'", []string{"gallery", "create", "--title", "Smith wedding"}, nil},
		{`__complete gallery show ''`, []string{"__complete", "gallery", "show", ""}, nil},
		{`__complete gallery show ""`, []string{"__complete", "gallery", "show", ""}, nil},
		{`a '' b`, []string{"a", "", "b"}, nil},
		{`say "it's \"here\" \$5 \n"`, []string{"say", `it's "here" $5 \n`}, nil},
		{`'a'"b"c\ d`, []string{"abc d"}, nil},
		{`'\'`, []string{`\`}, nil},
		{"a\\\nb", []string{"ab"}, nil},
		{"tabs\tand\nnewlines", []string{"tabs", "and", "newlines"}, nil},
		{`--title='Ünïcödé 📷'`, []string{"--title=Ünïcödé 📷"}, nil},
		{`gallery 'list`, nil, errUnclosedQuote},
		{`gallery "list`, nil, errUnclosedQuote},
		{`gallery "list\"`, nil, errUnclosedQuote},
	}
	for _, tt := range tests {
		got, err := words(tt.line)
		if !slices.Equal(got, tt.want) || !errors.Is(err, tt.err) {
			t.Errorf("words(%q) = %q, %v; want %q, %v", tt.line, got, err, tt.want, tt.err)
		}
	}
}

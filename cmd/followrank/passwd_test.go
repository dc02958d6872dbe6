package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestPasswdPrintsTheHashOfAPipedPassword(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // part of the error; "" for a hash
	}{
		{"twice the same", "离退休干部工作2024\n离退休干部工作2024\n", ""},
		{"Windows line ends, no last one", "a-long-password\r\na-long-password", ""},
		{"two different", "a-long-password\nanother-password\n", "两次输入的密码不一致"},
		{"once", "a-long-password\n", "需要输入两次"},
		{"nothing", "", "需要输入两次"},
		{"too short", "short\nshort\n", "至少需要 8 个字符"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, prompt bytes.Buffer
			err := passwd(context.Background(), strings.NewReader(tt.in), &prompt, &out)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want one saying %q", err, tt.want)
				}
				if out.Len() > 0 {
					t.Errorf("printed %q after an error", out.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pw, _, _ := strings.Cut(tt.in, "\n")
			pw = strings.TrimSuffix(pw, "\r")
			h := strings.TrimSuffix(out.String(), "\n")
			if err := bcrypt.CompareHashAndPassword([]byte(h), []byte(pw)); err != nil {
				t.Errorf("the hash %q is not of the password: %v", h, err)
			}
			if prompt.Len() > 0 {
				t.Errorf("prompted %q on a pipe", prompt.String())
			}
		})
	}
}

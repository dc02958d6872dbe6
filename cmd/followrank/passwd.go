package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"followrank/catalog"
	"followrank/web"
)

// runPasswd prints the bcrypt hash of a new password, for a user's
// password_hash in server.users.
func runPasswd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "passwd", catalog.PasswdArgs, catalog.PasswdDesc)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return passwd(ctx, os.Stdin, e.stderr, e.stdout)
}

// passwd reads a password twice from in, without echo when in is a
// terminal (asking on prompt) and else as its first two lines, and writes
// its hash to out: the hash alone, for a script to take.
func passwd(ctx context.Context, in io.Reader, prompt, out io.Writer) error {
	read, ask := lines(in), func(string) {}
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		read, ask = hidden(ctx, int(f.Fd()), prompt), func(s string) { fmt.Fprint(prompt, s) }
	}
	ask("新密码：")
	first, err := read()
	if err != nil {
		return err
	}
	ask("再输入一次：")
	second, err := read()
	if err != nil {
		return err
	}
	if first != second {
		return errors.New("两次输入的密码不一致，未生成哈希")
	}
	h, err := web.HashPassword(first)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, h)
	return err
}

// lines reads one line at a time from a pipe or a file.
func lines(in io.Reader) func() (string, error) {
	r := bufio.NewReader(in)
	return func() (string, error) {
		line, err := r.ReadString('\n')
		if errors.Is(err, io.EOF) && line == "" {
			return "", errors.New("没有读到密码：需要输入两次，每次一行")
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("读取密码：%w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
}

// hidden reads a line from the terminal fd without showing it. Ctrl-C
// (which main turns into ctx ending, so that it does not kill the process)
// gives the terminal back its echo and stops.
func hidden(ctx context.Context, fd int, prompt io.Writer) func() (string, error) {
	return func() (string, error) {
		state, err := term.GetState(fd)
		if err != nil {
			return "", fmt.Errorf("读取密码：%w", err)
		}
		type result struct {
			pw  []byte
			err error
		}
		got := make(chan result, 1)
		go func() {
			pw, err := term.ReadPassword(fd)
			got <- result{pw, err}
		}()
		defer fmt.Fprintln(prompt) // the Enter typed was not shown
		select {
		case r := <-got:
			if r.err != nil {
				return "", fmt.Errorf("读取密码：%w", r.err)
			}
			return string(r.pw), nil
		case <-ctx.Done():
			term.Restore(fd, state)
			return "", errors.New("已取消，未生成哈希")
		}
	}
}

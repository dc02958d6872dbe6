package config

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// envTestValues are the values TestEveryScalarKeyCanBeSetFromTheEnvironment
// sets keys to where the one envTestValue picks for the key's kind would not
// pass validation or would not show much. Add a key here when a new one
// needs a particular kind of value.
var envTestValues = map[string]string{
	"clickhouse.dsn":          "clickhouse://10.0.0.9:9001,10.0.0.10:9001/from_env?dial_timeout=1s",
	"scope":                   "亳州市",
	"server.addr":             "127.0.0.1:9090",
	"server.max_body_bytes":   "5000000000", // more than an int32 holds
	"log.level":               "debug",
	"log.format":              "json",
	"timezone":                "UTC",
	"lang":                    "en",
	"sources.wechat.app_id":   "wx0123456789abcdef",
	"sources.wechat.base_url": "http://proxy.internal:8080",
	"push.public_url":         "https://followrank.example.gov.cn",
	// The variable it names must hold a key of 32 bytes or more: this one
	// names itself, and its name is 33 bytes long.
	"server.session_key_env": "FOLLOWRANK_SERVER_SESSION_KEY_ENV",
}

// listKeys are the keys that hold lists, which only the file can set.
var listKeys = map[string]bool{"schedule": true, "server.submitters": true, "server.users": true, "targets": true, "push.robots": true}

// envTestValue is a value, different from v's, for a key of v's kind.
func envTestValue(v reflect.Value) string {
	switch {
	case v.Type() == durationType:
		return time.Duration(v.Int() + int64(time.Second)).String()
	case v.Kind() == reflect.String:
		return "from_env"
	case v.CanInt():
		return strconv.FormatInt(v.Int()+1, 10)
	case v.CanUint():
		return strconv.FormatUint(v.Uint()+1, 10)
	case v.CanFloat():
		return strconv.FormatFloat(v.Float()+0.5, 'g', -1, 64)
	case v.Kind() == reflect.Bool:
		return strconv.FormatBool(!v.Bool())
	}
	return "1" // a kind setScalar does not know fails to be set
}

// scalars maps each key's path to its field in cfg.
func scalars(cfg *Config) map[string]reflect.Value {
	fields := map[string]reflect.Value{}
	_ = walk(reflect.ValueOf(cfg).Elem(), nil, func(path []string, v reflect.Value) error {
		fields[strings.Join(path, ".")] = v
		return nil
	})
	return fields
}

func TestEveryScalarKeyCanBeSetFromTheEnvironment(t *testing.T) {
	// The baseline names a WeChat account and where its secret is, so that
	// setting sources.wechat.app_id alone gives a valid configuration.
	path := filepath.Join(t.TempDir(), "followrank.yaml")
	baseline := "sources:\n  wechat:\n    account: base\n    app_secret_env: BASE_SECRET\n"
	if err := os.WriteFile(path, []byte(baseline), 0o644); err != nil {
		t.Fatal(err)
	}
	base, err := Load(path, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	keys := scalars(&base)
	for key := range envTestValues {
		if _, ok := keys[key]; !ok {
			t.Errorf("envTestValues names %s, which is not a key", key)
		}
	}
	tested := 0
	for key, was := range keys {
		if listKeys[key] {
			continue
		}
		if was.Kind() == reflect.Slice {
			t.Errorf("%s is a list; add it to listKeys if only the file is to set it", key)
			continue
		}
		value, ok := envTestValues[key]
		if !ok {
			value = envTestValue(was)
		}
		name := EnvName(strings.Split(key, ".")...)
		t.Run(key, func(t *testing.T) {
			old := fmt.Sprint(was.Interface())
			if value == old {
				t.Fatalf("the test value %q is the default; pick another in envTestValues", value)
			}
			cfg, err := Load(path, true, []string{name + "=" + value})
			if err != nil {
				t.Fatalf("%s=%s: %v (if the value is not valid for the key, put one that is in envTestValues)", name, value, err)
			}
			if got := fmt.Sprint(scalars(&cfg)[key].Interface()); got != value {
				t.Errorf("%s=%s: %s = %s, want %s", name, value, key, got, value)
			}
		})
		tested++
	}
	if tested < 20 {
		t.Errorf("only %d keys were tried; walk is not finding them", tested)
	}
}

func TestSetScalarEveryKind(t *testing.T) {
	var x struct {
		S   string
		D   time.Duration
		I   int
		I8  int8
		I16 int16
		I32 int32
		I64 int64
		U   uint
		U8  uint8
		U16 uint16
		U32 uint32
		U64 uint64
		F32 float32
		F64 float64
		B   bool
		L   []string
	}
	v := reflect.ValueOf(&x).Elem()
	field := func(name string) reflect.Value { return v.FieldByName(name) }
	tests := []struct {
		field, in string
		want      any // nil when setting must fail
	}{
		{"S", " kept as is ", " kept as is "},
		{"D", "90s", 90 * time.Second},
		{"D", "5", nil},
		{"I", " -7 ", -7},
		{"I", "seven", nil},
		{"I8", "127", int8(127)},
		{"I8", "128", nil},
		{"I16", "-32768", int16(-32768)},
		{"I32", "2147483648", nil},
		{"I64", "9223372036854775807", int64(math.MaxInt64)},
		{"U", "7", uint(7)},
		{"U", "-1", nil},
		{"U8", "256", nil},
		{"U16", "65535", uint16(65535)},
		{"U32", "4294967295", uint32(math.MaxUint32)},
		{"U64", "18446744073709551615", uint64(math.MaxUint64)},
		{"F32", "0.5", float32(0.5)},
		{"F32", "1e39", nil},
		{"F64", "2.25", 2.25},
		{"F64", "NaN", nil},
		{"F64", "Inf", nil},
		{"B", "true", true},
		{"B", "yes", nil},
		{"L", "a,b", nil},
	}
	for _, tt := range tests {
		f := field(tt.field)
		err := setScalar(f, tt.in)
		switch {
		case tt.want == nil && err == nil:
			t.Errorf("%s from %q: set to %v, want an error", tt.field, tt.in, f.Interface())
		case tt.want != nil && err != nil:
			t.Errorf("%s from %q: %v", tt.field, tt.in, err)
		case tt.want != nil && f.Interface() != tt.want:
			t.Errorf("%s from %q = %#v, want %#v", tt.field, tt.in, f.Interface(), tt.want)
		}
	}
}

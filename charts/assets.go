package charts

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"path"
	"strings"
	"sync"
)

//go:embed page.css
var pageCSS string

// Asset is a file the web app serves beside its pages, named for its
// content so that a browser may keep it for good: ECharts, the page's
// style and each map. The offline HTML files inline the same bytes.
type Asset struct {
	Name        string // e.g. echarts.5.6.0.1a2b3c4d5e.js
	ContentType string
	Body        []byte
	Gzip        []byte // Body compressed, for clients that accept gzip
}

// AssetPrefix is where the web app serves assets.
const AssetPrefix = "/assets/"

func newAsset(stem, ext, contentType string, body []byte) *Asset {
	sum := sha256.Sum256(body)
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write(body)
	w.Close()
	return &Asset{Name: stem + "." + hex.EncodeToString(sum[:5]) + ext, ContentType: contentType, Body: body, Gzip: z.Bytes()}
}

var (
	fixedAssets = sync.OnceValue(func() map[string]*Asset {
		m := map[string]*Asset{}
		for _, a := range []*Asset{
			newAsset("echarts."+EChartsVersion, ".js", "text/javascript; charset=utf-8", []byte(echartsJS)),
			newAsset("page", ".css", "text/css; charset=utf-8", []byte(pageCSS)),
		} {
			m[a.Name] = a
		}
		return m
	})
	mapAssets sync.Map // outline name → *Asset
)

func fixedAsset(stem string) *Asset {
	for name, a := range fixedAssets() {
		if strings.HasPrefix(name, stem+".") {
			return a
		}
	}
	panic("no asset " + stem)
}

// mapAsset is the script that registers an outline with ECharts.
func mapAsset(o Outline) *Asset {
	if a, ok := mapAssets.Load(o.Name); ok {
		return a.(*Asset)
	}
	name, _ := json.Marshal(o.Name)
	body := []byte("echarts.registerMap(" + string(name) + "," + string(o.JSON) + ");\n")
	a := newAsset("map-"+o.Code, ".js", "text/javascript; charset=utf-8", body)
	mapAssets.Store(o.Name, a)
	return a
}

// AssetByName finds an asset by the name in its URL: ECharts, the style,
// or a map ("map-341600.<hash>.js", any map that ships).
func AssetByName(name string) (*Asset, bool) {
	if a, ok := fixedAssets()[name]; ok {
		return a, true
	}
	code, _, ok := strings.Cut(strings.TrimPrefix(name, "map-"), ".")
	if !strings.HasPrefix(name, "map-") || !ok {
		return nil, false
	}
	o, ok := outlineByCode(code)
	if !ok {
		return nil, false
	}
	if a := mapAsset(o); a.Name == name {
		return a, true
	}
	return nil, false
}

// assetURL is the path an asset is served under.
func assetURL(a *Asset) string { return path.Join(AssetPrefix, a.Name) }

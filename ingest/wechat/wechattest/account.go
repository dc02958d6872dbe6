package wechattest

import (
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"time"
)

// Day is what the API holds for one day of an account, in the API's own
// terms, before it decides what to answer (see Fake for when and how).
type Day struct {
	Date     time.Time
	Cumulate uint32      // getusercumulate cumulate_user: followers at the end of the day
	Sources  []SourceDay // getusersummary: one row per user_source with any change
	// Channels are getuserread's rows by where readers came from
	// (user_source 0 会话, 1 好友, 2 朋友圈, 4 历史消息页, 5 其他, 6 看一看,
	// 7 搜一搜); the API adds their total as user_source 99999999.
	Channels []ReadChannel
	// Articles are getarticleread's rows: each article read that day.
	Articles []ArticleRead
	// Biz is getbizsummary's detail for the day.
	Biz Biz
}

// SourceDay is one getusersummary row.
type SourceDay struct {
	Source int    `json:"user_source"`
	New    uint32 `json:"new_user"`
	Cancel uint32 `json:"cancel_user"`
}

// ReadChannel is one getuserread row.
type ReadChannel struct {
	Source      int    `json:"user_source"`
	ReadUser    uint64 `json:"int_page_read_user"`
	ReadCount   uint64 `json:"int_page_read_count"`
	ShareUser   uint64 `json:"share_user"`
	ShareCount  uint64 `json:"share_count"`
	AddFavUser  uint64 `json:"add_to_fav_user"`
	AddFavCount uint64 `json:"add_to_fav_count"`
}

// ArticleRead is one getarticleread row: an article (msgid "消息id_序号")
// and how many read it that day.
type ArticleRead struct {
	MsgID    string
	ReadUser uint64
}

// Biz is getbizsummary's detail: the account's published content that day.
type Biz struct {
	ReadUser     uint64 `json:"read_user"`
	ShareUser    uint64 `json:"share_user"`
	ZaikanUser   uint64 `json:"zaikan_user"`
	LikeUser     uint64 `json:"like_user"`
	CommentCount uint64 `json:"comment_count"`
}

// Sources are the user_source values of getusersummary (公众号数据接口文档
// “获取用户增减数据”) with the share of new followers each brings to a
// county bureau's account in the generated figures: mostly QR codes at
// meetings and shared name cards.
var sourceShares = []struct {
	code  int
	share float64
}{
	{30, 0.42},  // 扫描二维码
	{17, 0.20},  // 名片分享
	{57, 0.12},  // 文章内账号名称
	{1, 0.10},   // 搜索
	{161, 0.06}, // 他人转载
	{0, 0.04},   // 其他
	{200, 0.03}, // 视频号
	{149, 0.01}, // 小程序关注
	{100, 0.01}, // 微信广告
	{201, 0.01}, // 直播
}

// Series generates a county bureau's account day by day from Start, when it
// has Followers followers: ten new followers a normal day, more in the
// week after each month's 通报, a few leaving, articles on working days read
// by one follower in twelve. The same Series always gives the same days.
type Series struct {
	Start     time.Time
	Followers uint32
	Seed      uint64

	days []Day
}

// NewSeries is a Series from start with followers followers.
func NewSeries(start time.Time, followers uint32) *Series {
	return &Series{Start: date(start), Followers: followers, Seed: 18}
}

// Day is the account's day d; ok is false before Start.
func (s *Series) Day(d time.Time) (Day, bool) {
	d = date(d)
	if d.Before(s.Start) {
		return Day{}, false
	}
	n := int(d.Sub(s.Start).Hours() / 24)
	for len(s.days) <= n {
		s.days = append(s.days, s.next())
	}
	return s.days[n], true
}

func (s *Series) next() Day {
	d := s.Start.AddDate(0, 0, len(s.days))
	prev := s.Followers
	if len(s.days) > 0 {
		prev = s.days[len(s.days)-1].Cumulate
	}
	h := fnv.New64a()
	h.Write([]byte(d.Format(time.DateOnly)))
	r := rand.New(rand.NewPCG(s.Seed, h.Sum64()))
	working := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday

	gained := 3 + r.IntN(8)
	if working {
		gained += 3
	}
	if d.Day() >= 3 && d.Day() <= 9 { // the week after the monthly 通报
		gained += 6 + r.IntN(15)
	}
	day := Day{Date: d}
	counts := make([]int, len(sourceShares))
	left := gained
	for i, src := range sourceShares[1:] {
		counts[i+1] = min(int(float64(gained)*src.share+r.Float64()), left)
		left -= counts[i+1]
	}
	counts[0] = left // the rest scanned a QR code
	var newTotal, cancelTotal uint32
	for i, src := range sourceShares {
		var cancel uint32
		if i == 0 || i == 5 { // those who scanned at a meeting, or came by chance, leave most
			cancel = uint32(r.IntN(3))
		}
		if counts[i] > 0 || cancel > 0 {
			day.Sources = append(day.Sources, SourceDay{Source: src.code, New: uint32(counts[i]), Cancel: cancel})
		}
		newTotal += uint32(counts[i])
		cancelTotal += cancel
	}
	day.Cumulate = prev + newTotal - min(cancelTotal, prev+newTotal)

	readers := uint64(float64(day.Cumulate) / (40 + 20*r.Float64()))
	if working {
		readers = uint64(float64(day.Cumulate) / (10 + 4*r.Float64()))
	}
	shares := readers/9 + uint64(r.IntN(5))
	favs := readers/40 + uint64(r.IntN(3))
	channels := []struct {
		code  int
		share float64
	}{{0, 0.55}, {1, 0.15}, {2, 0.12}, {4, 0.10}, {5, 0.03}, {6, 0.03}, {7, 0.02}}
	for _, c := range channels {
		u := uint64(float64(readers) * c.share)
		day.Channels = append(day.Channels, ReadChannel{Source: c.code, ReadUser: u, ReadCount: u + u/5, ShareUser: uint64(float64(shares) * c.share), ShareCount: uint64(float64(shares)*c.share) + 1})
	}
	// The total row carries figures the channel rows do not (favourites).
	total := ReadChannel{Source: AllSources, AddFavUser: favs, AddFavCount: favs + favs/4}
	for _, c := range day.Channels {
		total.ReadUser += c.ReadUser
		total.ReadCount += c.ReadCount
		total.ShareUser += c.ShareUser
		total.ShareCount += c.ShareCount
	}
	day.Channels = append(day.Channels, total)

	// Articles: today's (on working days) and the last few days' still read.
	var perArticle uint64
	for back := 0; back < 4; back++ {
		pd := d.AddDate(0, 0, -back)
		if pd.Weekday() == time.Saturday || pd.Weekday() == time.Sunday {
			continue
		}
		msg := 2247480000 + uint64(pd.Sub(s.Start).Hours()/24)
		for idx := 1; idx <= 2; idx++ {
			u := readers / uint64(2*(back+1)*idx)
			if u == 0 {
				continue
			}
			day.Articles = append(day.Articles, ArticleRead{MsgID: strconv.FormatUint(msg, 10) + "_" + strconv.Itoa(idx), ReadUser: u})
			perArticle += u
		}
	}
	day.Biz = Biz{
		ReadUser:     min(readers, perArticle), // distinct readers: at most the sum over articles
		ShareUser:    shares,
		ZaikanUser:   readers / 30,
		LikeUser:     readers / 15,
		CommentCount: uint64(r.IntN(6)),
	}
	return day
}

// date is t's calendar day at midnight UTC, as the API's ref_date names it.
func date(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

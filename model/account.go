package model

import "time"

// AccountDay is one day of a WeChat official account: followers (stocks
// and flows) and what they read and shared.
type AccountDay struct {
	Account         string
	Date            time.Time
	NewUsers        uint32 // new_user: followed that day
	CancelledUsers  uint32 // cancel_user: unfollowed that day
	CumulativeUsers uint32 // cumulate_user: followers at the end of the day
	// What followers did with the account's content. From 2025-11-01 the
	// API's getbizsummary and getarticleread give them; before, the
	// deprecated getuserread (its field names in brackets).
	Reads     uint64 // the day's readers summed over articles (int_page_read_count)
	ReadUsers uint64 // people who read any article (int_page_read_user)
	Shares    uint64 // people who shared (share_count)
	// Favourites are the day's reactions: 点赞 and 在看 (like_user,
	// zaikan_user); getbizsummary reports no favourites, getuserread
	// reported only them (add_to_fav_count).
	Favourites uint64
	// Sources splits the day's new and cancelled followers by where they
	// came from (user_source: 0 其他, 1 搜索, 17 名片分享, 30 扫描二维码,
	// 57 文章内账号名称, 100 微信广告, 149 小程序关注, 161 他人转载, 200 视频号,
	// 201 直播; wording.FollowSource names them).
	Sources []AccountSource
}

// Net is the day's net change of followers.
func (d AccountDay) Net() int64 { return int64(d.NewUsers) - int64(d.CancelledUsers) }

// AccountSource is one source's share of a day's new and cancelled followers.
type AccountSource struct {
	Source         int
	NewUsers       uint32
	CancelledUsers uint32
}

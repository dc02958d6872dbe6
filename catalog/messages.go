package catalog

// Codes of the messages about rows and files. The API answers each
// rejected row with its code.
const (
	// Rows.
	NameTooLong      Code = "unit.name_too_long"
	UnitMissing      Code = "unit.missing"
	UnitUnknown      Code = "unit.unknown"
	UnitUnknownNear  Code = "unit.unknown_near"
	UnitUnknownCode  Code = "unit.unknown_code"
	UnitAmbiguous    Code = "unit.ambiguous"
	UnitOutside      Code = "unit.outside"
	UnitCodeMismatch Code = "unit.code_name_mismatch"
	UnitAtLevel      Code = "unit.resolved_at_level"
	UnitTwice        Code = "unit.duplicate"
	DateMissing      Code = "date.missing"
	ValueMissing     Code = "value.missing"
	NotNumber        Code = "value.not_number"
	Negative         Code = "value.negative"
	NotWhole         Code = "value.not_whole"
	TooLarge         Code = "value.too_large"
	NotRate          Code = "value.not_rate"
	OverHundred      Code = "value.over_100"
	NotDate          Code = "value.not_date"
	MembersZero      Code = "members.zero"
	FollowersOver    Code = "followers.over_members"
	RateIgnored      Code = "rate.ignored"
	RateDisagrees    Code = "rate.disagrees"
	TotalDisagrees   Code = "total.disagrees"
	ParentDisagrees  Code = "parent.disagrees"

	// Files.
	NoHeading       Code = "file.no_heading"
	HeadingTwice    Code = "file.column_twice"
	NoDate          Code = "file.no_date"
	NoRows          Code = "file.no_rows"
	NoSheetHeading  Code = "file.no_sheet_heading"
	SheetSkipped    Code = "file.sheet_skipped"
	ReadAs          Code = "file.read_as"
	UnitsFirst      Code = "file.units_first"
	StoredBefore    Code = "file.stored_before"
	WithinUnknown   Code = "file.within_unknown"
	StoreFailed     Code = "file.store_failed"
	FileUnreadable  Code = "file.unreadable"
	SubmissionScope Code = "api.outside_scope"
	WarningLine     Code = "line.warning"

	// The submission API.
	TokenRequired    Code = "api.token_required"
	StoreUnavailable Code = "api.store_unavailable"
	ScopeUnknown     Code = "api.scope_unknown"
	TooBig           Code = "api.too_large"
	NotStored        Code = "api.not_stored"

	// What `followrank import` says of each file.
	Imported       Code = "import.summary"
	DryRun         Code = "import.dry_run"
	SummarySkipped Code = "import.skipped"
	SummaryAsOf    Code = "import.as_of"
	SummaryDates   Code = "import.dates"
	SummaryScope   Code = "import.scope"
	NotImported    Code = "import.not_imported"
	NothingStored  Code = "import.nothing_stored"
	MoreRejected   Code = "import.more_rejected"
	MoreWarnings   Code = "import.more_warnings"
	RowsRejected   Code = "import.rows_rejected"
	FilesFailed    Code = "import.files_failed"
)

var entries = []entry{
	{NameTooLong, "the name is %[1]d characters long; no unit's name is longer than %[2]d", "名称长达%[1]d个字，单位名称不超过%[2]d个字"},
	{UnitMissing, "no unit name or code", "缺少单位名称或代码"},
	{UnitUnknown, "unknown unit %[1]q%[2]s", "未知单位“%[1]s”%[2]s"},
	{UnitUnknownNear, "unknown unit %[1]q%[2]s; did you mean: %[3]s?", "未知单位“%[1]s”%[2]s，是否为：%[3]s？"},
	{UnitUnknownCode, "unknown unit code %[1]s", "未知单位代码%[1]s"},
	{UnitAmbiguous, "unit %[1]q is ambiguous: %[2]s; give its code", "单位“%[1]s”有重名：%[2]s，请填写单位代码"},
	{UnitOutside, "%[1]s is not within %[2]s", "%[1]s不属于%[2]s"},
	{UnitCodeMismatch, "code %[1]s is %[2]s, but the row names %[3]s (%[4]s)", "代码%[1]s是%[2]s，但本行单位为%[3]s（%[4]s）"},
	{UnitAtLevel, "%[1]q is taken as %[2]s %[3]s: the sheet lists %[4]s", "“%[1]s”按%[2]s（%[3]s）计：本表所列均为%[4]s"},
	{UnitTwice, "%[1]s appears twice for %[2]s (first on line %[3]d)", "%[1]s在%[2]s重复出现（首次在第%[3]d行）"},
	{DateMissing, "missing, and the file states no date (give --as-of)", "缺少日期，且表内和文件名均未注明统计日期（请用 --as-of 指定）"},
	{ValueMissing, "missing", "未填写"},
	{NotNumber, "%[1]q is not a number", "“%[1]s”不是数字"},
	{Negative, "%[1]s is negative", "%[1]s为负数"},
	{NotWhole, "%[1]s is not a whole number", "%[1]s不是整数"},
	{TooLarge, "%[1]s is implausibly large", "%[1]s过大，不可能是人数"},
	{NotRate, "%[1]q is not a rate", "“%[1]s”不是关注率"},
	{OverHundred, "%[1]q is over 100%%", "“%[1]s”超过100%%"},
	{NotDate, "%[1]q is not a date like 2024-06-30", "“%[1]s”不是日期（如2024-06-30）"},
	{MembersZero, "0: a unit with no retired cadres has no follow rate", "为0，没有离退休干部的单位无关注率"},
	{FollowersOver, "%[1]d > members %[2]d", "%[1]d，大于离退休干部数%[2]d"},
	{RateIgnored, "%[1]s; ignored", "%[1]s，已忽略"},
	{RateDisagrees, "stated %[1]s but 关注人数 ÷ 离退休干部数 = %[2]d ÷ %[3]d = %[4]s", "表中为%[1]s，但关注人数÷离退休干部数 = %[2]d÷%[3]d = %[4]s"},
	{TotalDisagrees, "the totals row says %[1]d members and %[2]d followers, but the rows sum to %[3]d and %[4]d", "合计行为离退休干部%[1]d人、关注%[2]d人，但各行相加为%[3]d人、%[4]d人"},
	{ParentDisagrees, "%[1]s reports %[2]d members and %[3]d followers, but its units in this file sum to %[4]d and %[5]d", "%[1]s报送离退休干部%[2]d人、关注%[3]d人，但本文件中其下属单位相加为%[4]d人、%[5]d人"},

	{NoHeading, "no heading row in the first %[1]d rows: want columns for the unit (单位/地区/名称 or 区划代码), 离退休干部数 and 关注人数", "前%[1]d行中没有表头：需要单位（单位/地区/名称或区划代码）、离退休干部数和关注人数三列"},
	{HeadingTwice, "line %[1]d: column %[2]s appears twice in the heading", "第%[1]d行：表头中“%[2]s”列出现两次"},
	{NoDate, "%[1]s: no date: the sheet has no 日期 column and neither its title, its sheet name nor the file name states one; give --as-of YYYY-MM-DD", "%[1]s：没有统计日期：表中无“日期”列，标题、工作表名和文件名也未注明；请用 --as-of 指定，如 --as-of 2024-06-30"},
	{NoRows, "no figure rows below the heading", "表头下没有数据行"},
	{NoSheetHeading, "no sheet has a heading row: %[1]s", "没有一个工作表有表头：%[1]s"},
	{SheetSkipped, "%[1]s (sheet skipped)", "%[1]s（已跳过该工作表）"},
	{ReadAs, "%[1]s (the file was read as %[2]s, since it is not UTF-8; if it is in another encoding, save it from Excel as CSV UTF-8 or XLSX)", "%[1]s（该文件不是UTF-8编码，已按%[2]s读取；如为其他编码，请在Excel中另存为“CSV UTF-8”或XLSX）"},
	{UnitsFirst, "the units of %[1]s are not imported yet: import them first (followrank units import FILE), then this sheet", "%[1]s的下属单位尚未导入：请先导入单位（followrank units import 文件），再导入本表"},
	{StoredBefore, "%[1]s (some figures of this file may be stored; importing the file again completes it)", "%[1]s（本文件的部分数据可能已入库；重新导入该文件即可补全）"},
	{WithinUnknown, "--within: unknown unit code %[1]s", "--within：未知单位代码%[1]s"},
	{StoreFailed, "the figures could not be stored: %[1]s", "数据无法入库：%[1]s"},
	{FileUnreadable, "%[1]s", "%[1]s"},
	{TokenRequired, "a valid bearer token is required", "需要有效的令牌（Authorization: Bearer …）"},
	{StoreUnavailable, "the figures store is unavailable; try again later", "数据库暂时不可用，请稍后再试"},
	{ScopeUnknown, "this submitter's scope is not a known unit", "本报送单位的范围不是已知单位，请联系管理员"},
	{TooBig, "the submission is larger than %[1]d bytes", "报送内容超过%[1]d字节"},
	{NotStored, "the figures could not be stored; nothing was stored; try again later", "数据未能入库（本次未入库任何数据），请稍后再试"},
	{Imported, "%[1]s: %[2]d accepted, %[3]d rejected, %[4]d warnings", "%[1]s：接收%[2]d行，拒收%[3]d行，提示%[4]d条"},
	{DryRun, "%[1]s: %[2]d would be accepted (dry run, nothing stored), %[3]d rejected, %[4]d warnings", "%[1]s：可接收%[2]d行（试运行，未入库），拒收%[3]d行，提示%[4]d条"},
	{SummarySkipped, ", %[1]d totals/note rows skipped", "，跳过合计、注释等%[1]d行"},
	{SummaryAsOf, "; as of %[1]s", "；统计日期%[1]s"},
	{SummaryDates, "; dates %[1]s to %[2]s", "；日期%[1]s至%[2]s"},
	{SummaryScope, "; scope %[1]s (%[2]s); %[3]s", "；范围%[1]s（%[2]s）；%[3]s"},
	{NotImported, "%[1]s: not imported: %[2]s", "%[1]s：未导入：%[2]s"},
	{NothingStored, "; nothing stored from this file", "；本文件未入库任何数据"},
	{MoreRejected, "… and %[1]d more rejected rows of %[2]s", "……%[2]s另有%[1]d行被拒收"},
	{MoreWarnings, "… and %[1]d more warnings for %[2]s", "……%[2]s另有%[1]d条提示"},
	{RowsRejected, "%[1]d rows rejected", "拒收%[1]d行"},
	{FilesFailed, "%[1]d of %[2]d files could not be imported", "%[2]d个文件中有%[1]d个未能导入"},
	{WarningLine, "warning: %[1]s", "提示：%[1]s"},
	{SubmissionScope, "%[1]s may submit only for %[2]s; nothing was stored", "%[1]s只能报送%[2]s的数据；本次未入库任何数据"},
}

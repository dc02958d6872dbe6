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
	RunItemFile      Code = "run.item.file"
	RunItemFailed    Code = "run.item.failed"
	RunItemSubmitter Code = "run.item.submitter"
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

// Codes of the command line's words: `followrank help`, each command's
// --help (synopsis, description, options) and its mistakes. The flags'
// names are the same in every language; a `word` in a flag's text names its
// value in the help (-level 级别), as flag.UnquoteUsage reads it.
const (
	// The help around the commands and options.
	HelpHead        Code = "cli.help.head"
	HelpTail        Code = "cli.help.tail"
	HelpCommand     Code = "cli.help.command"
	HelpDefault     Code = "cli.help.default"
	HelpDefaultText Code = "cli.help.default_text"
	HelpTypeString  Code = "cli.help.type.string"
	HelpTypeInt     Code = "cli.help.type.int"
	HelpTypeFloat   Code = "cli.help.type.float"
	HelpTypeValue   Code = "cli.help.type.value"

	// Each command: its line in `followrank help`, its arguments and what
	// its --help says it does.
	PasswdSummary  Code = "cli.passwd.summary"
	PasswdArgs     Code = "cli.passwd.args"
	PasswdDesc     Code = "cli.passwd.desc"
	MigrateSummary Code = "cli.migrate.summary"
	MigrateArgs    Code = "cli.migrate.args"
	MigrateDesc    Code = "cli.migrate.desc"
	DemoSummary    Code = "cli.demo.summary"
	DemoArgs       Code = "cli.demo.args"
	DemoDesc       Code = "cli.demo.desc"
	ImportSummary  Code = "cli.import.summary"
	ImportArgs     Code = "cli.import.args"
	ImportDesc     Code = "cli.import.desc"
	IngestSummary  Code = "cli.ingest.summary"
	IngestArgs     Code = "cli.ingest.args"
	IngestDesc     Code = "cli.ingest.desc"
	RankSummary    Code = "cli.rank.summary"
	RankArgs       Code = "cli.rank.args"
	RankDesc       Code = "cli.rank.desc"
	ClimbSummary   Code = "cli.climb.summary"
	ClimbArgs      Code = "cli.climb.args"
	ClimbDesc      Code = "cli.climb.desc"
	ChartSummary   Code = "cli.chart.summary"
	ChartArgs      Code = "cli.chart.args"
	ChartUsage     Code = "cli.chart.usage"
	ExportSummary  Code = "cli.export.summary"
	ExportArgs     Code = "cli.export.args"
	ExportDesc     Code = "cli.export.desc"
	ReportSummary  Code = "cli.report.summary"
	ReportArgs     Code = "cli.report.args"
	ReportDesc     Code = "cli.report.desc"
	TongbaoSummary Code = "cli.tongbao.summary"
	TongbaoArgs    Code = "cli.tongbao.args"
	TongbaoDesc    Code = "cli.tongbao.desc"
	RemindSummary  Code = "cli.remind.summary"
	RemindArgs     Code = "cli.remind.args"
	RemindDesc     Code = "cli.remind.desc"
	UnitsSummary   Code = "cli.units.summary"
	UnitsArgs      Code = "cli.units.args"
	UnitsDesc      Code = "cli.units.desc"
	RunsSummary    Code = "cli.runs.summary"
	RunsArgs       Code = "cli.runs.args"
	RunsDesc       Code = "cli.runs.desc"
	RunsColumns    Code = "cli.runs.columns"
	UnitsColumns   Code = "cli.units.columns"
	ServeSummary   Code = "cli.serve.summary"
	ServeArgs      Code = "cli.serve.args"
	ServeDesc      Code = "cli.serve.desc"
	VersionSummary Code = "cli.version.summary"
	VersionArgs    Code = "cli.version.args"
	VersionDesc    Code = "cli.version.desc"

	// The line `followrank help` adds in a packaged install: which config
	// file it reads without --config.
	HelpSystemConfig Code = "cli.help.system_config"

	// What each kind of chart draws (followrank chart KIND --help).
	ChartRankingDesc   Code = "cli.chart.ranking.desc"
	ChartClimbDesc     Code = "cli.chart.climb.desc"
	ChartTrendDesc     Code = "cli.chart.trend.desc"
	ChartMapDesc       Code = "cli.chart.map.desc"
	ChartAccountDesc   Code = "cli.chart.account.desc"
	ChartDashboardDesc Code = "cli.chart.dashboard.desc"

	// The options: those every ranking command and every chart takes, then
	// each command's own.
	FlagLevel           Code = "cli.flag.level"
	FlagWithin          Code = "cli.flag.within"
	FlagDate            Code = "cli.flag.date"
	FlagCompare         Code = "cli.flag.compare"
	FlagChartOut        Code = "cli.chart.flag.o"
	FlagChartPNG        Code = "cli.chart.flag.png"
	FlagChartTitle      Code = "cli.chart.flag.title"
	FlagChartTheme      Code = "cli.chart.flag.theme"
	FlagChartAnimation  Code = "cli.chart.flag.animation"
	FlagChartUnit       Code = "cli.chart.flag.unit"
	FlagChartUnits      Code = "cli.chart.flag.units"
	FlagChartAccount    Code = "cli.chart.flag.account"
	FlagChartFocus      Code = "cli.chart.flag.focus"
	FlagChartHighlight  Code = "cli.chart.flag.highlight"
	FlagChartTarget     Code = "cli.chart.flag.target"
	FlagChartFrom       Code = "cli.chart.flag.from"
	FlagChartTo         Code = "cli.chart.flag.to"
	FlagRankFormat      Code = "cli.rank.flag.format"
	FlagClimbUnit       Code = "cli.climb.flag.unit"
	FlagClimbWithin     Code = "cli.climb.flag.within"
	FlagClimbFrom       Code = "cli.climb.flag.from"
	FlagClimbTo         Code = "cli.climb.flag.to"
	FlagClimbEvery      Code = "cli.climb.flag.every"
	FlagExportFormat    Code = "cli.export.flag.format"
	FlagExportOut       Code = "cli.export.flag.o"
	FlagExportHighlight Code = "cli.export.flag.highlight"
	FlagExportAllLevels Code = "cli.export.flag.all_levels"
	FlagReportFocus     Code = "cli.report.flag.focus"
	FlagTongbaoFocus    Code = "cli.tongbao.flag.focus"
	FlagTongbaoOut      Code = "cli.tongbao.flag.o"
	FlagTongbaoFormat   Code = "cli.tongbao.flag.format"
	FlagRemindLevel     Code = "cli.remind.flag.level"
	FlagRemindTarget    Code = "cli.remind.flag.target"
	FlagRemindFormat    Code = "cli.remind.flag.format"
	FlagRemindOut       Code = "cli.remind.flag.o"
	FlagImportAsOf      Code = "cli.import.flag.as_of"
	FlagImportWithin    Code = "cli.import.flag.within"
	FlagImportSheet     Code = "cli.import.flag.sheet"
	FlagImportDryRun    Code = "cli.import.flag.dry_run"
	FlagIngestSource    Code = "cli.ingest.flag.source"
	FlagIngestFrom      Code = "cli.ingest.flag.from"
	FlagIngestTo        Code = "cli.ingest.flag.to"
	FlagDemoOut         Code = "cli.demo.flag.o"
	FlagUnitsWithin     Code = "cli.units.flag.within"
	FlagRunsLimit       Code = "cli.runs.flag.limit"
	FlagServeAddr       Code = "cli.serve.flag.addr"

	// Mistakes in the command line, which exit with status 2. The English
	// of the flag package's own (FlagUndefined to FlagBadSyntax) is its text.
	NoCommand        Code = "cli.no_command"
	CommandUnknown   Code = "cli.command_unknown"
	LangUnknown      Code = "cli.lang_unknown"
	FlagMistake      Code = "cli.flag.mistake"
	FlagMistakeTop   Code = "cli.flag.mistake_top"
	FlagUndefined    Code = "cli.flag.undefined"
	FlagNeedsValue   Code = "cli.flag.needs_value"
	FlagBadValue     Code = "cli.flag.bad_value"
	FlagBadBool      Code = "cli.flag.bad_bool"
	FlagBadSyntax    Code = "cli.flag.bad_syntax"
	FlagNotDate      Code = "cli.flag.not_date"
	FlagNotDay       Code = "cli.flag.not_day"
	FlagNotRate      Code = "cli.flag.not_rate"
	FlagNotWhole     Code = "cli.flag.not_whole"
	FlagNotNumber    Code = "cli.flag.not_number"
	FlagOutOfRange   Code = "cli.flag.out_of_range"
	FlagProblem      Code = "cli.flag.problem"
	FlagNotOneOf     Code = "cli.flag.not_one_of"
	LevelUnknown     Code = "cli.level_unknown"
	NoSuchUnit       Code = "cli.unit.unknown"
	NoSuchUnitScope  Code = "cli.unit.unknown_within"
	ClosestUnits     Code = "cli.unit.closest"
	AmbiguousUnit    Code = "cli.unit.ambiguous"
	UnitNotWithin    Code = "cli.unit.outside"
	UnitAndCode      Code = "cli.unit.named"
	UnitRequired     Code = "cli.climb.unit_required"
	NoSheets         Code = "cli.import.no_files"
	ChartKindNeeded  Code = "cli.chart.kind_required"
	ChartOutNeeded   Code = "cli.chart.out_required"
	ExportOutNeeded  Code = "cli.export.out_required"
	AllLevelsXLSX    Code = "cli.export.all_levels_xlsx"
	TongbaoOutNeeded Code = "cli.tongbao.out_required"
	RemindXLSXOut    Code = "cli.remind.xlsx_out_required"
	TargetRange      Code = "cli.target_range"
	NoSuchSource     Code = "cli.ingest.source_unknown"
	NoSources        Code = "cli.ingest.no_sources"
	UnitsUsage       Code = "cli.units.usage"
	BadSchedule      Code = "cli.serve.schedule"

	// What goes wrong otherwise, which the user can set right.
	ClickHouseUnreachable Code = "cli.store.unreachable"
	ClickHouseNoDatabase  Code = "cli.store.no_database"
	NoFigures             Code = "cli.no_figures"
	NoUnitsBelow          Code = "cli.no_units_below"
	BuiltinOnly           Code = "cli.import.builtin_only"
	RunID                 Code = "cli.import.run"
	UnitsNotStored        Code = "cli.units.nothing_stored"
	SourcesFailed         Code = "cli.ingest.failed"
	SourcesRejected       Code = "cli.ingest.rejected"

	// What a command says it did.
	Wrote          Code = "cli.wrote"
	WroteRanking   Code = "cli.wrote.ranking"
	WroteDocument  Code = "cli.wrote.document"
	WroteRemind    Code = "cli.wrote.remind"
	SchemaUpToDate Code = "cli.migrate.up_to_date"
	SchemaMigrated Code = "cli.migrate.migrated"
	UnitsStored    Code = "cli.units.stored"
	SourceSkipped  Code = "cli.ingest.skipped"
	SourceRan      Code = "cli.ingest.ran"
	DemoMigrating  Code = "cli.demo.migrating"
	DemoLoading    Code = "cli.demo.loading"
	DemoWeChat     Code = "cli.demo.wechat"
	DemoDashboard  Code = "cli.demo.dashboard"
	DemoExporting  Code = "cli.demo.exporting"
	DemoTongbao    Code = "cli.demo.tongbao"
	DemoDone       Code = "cli.demo.done"
)

var entries = []entry{
	{Wrote, "wrote %[1]s", "已写入 %[1]s"},
	{WroteRanking, "wrote %[1]s: %[2]d %[3]s ranked as of %[4]s", "已写入 %[1]s：截至%[4]s，%[2]d个%[3]s参与排名"},
	{WroteDocument, "wrote %[1]s: %[2]s", "已写入 %[1]s：%[2]s"},
	{WroteRemind, "wrote %[1]s: %[2]d of %[3]d %[4]s to remind as of %[5]s", "已写入 %[1]s：截至%[5]s，%[3]d个%[4]s中需催报%[2]d个"},
	{SchemaUpToDate, "schema of %[1]s is up to date (version %[2]d)", "%[1]s 的数据库结构已是最新（版本%[2]d）"},
	{SchemaMigrated, "migrated %[1]s to schema version %[2]d (applied %[3]s)", "已将 %[1]s 的数据库结构升级到版本%[2]d（执行了第%[3]s步）"},
	{UnitsStored, "%[1]s: %[2]d units stored (%[3]d new, %[4]d updated)", "%[1]s：已存入%[2]d个单位（新增%[3]d个，更新%[4]d个）"},
	{SourceSkipped, "%[1]s: not configured; skipped", "%[1]s：未配置，跳过"},
	{SourceRan, "%[1]s: %[2]s, %[3]d accepted, %[4]d rejected, %[5]s s (run %[6]s)", "%[1]s：%[2]s，入库%[3]d行，拒收%[4]d行，用时%[5]s秒（记录 %[6]s）"},
	{DemoMigrating, "migrating %[1]s", "正在建立 %[1]s 的数据库结构"},
	{DemoLoading, "loading %[1]d demo figures (%[2]d counties, %[3]d month-end reports, daily engagement)", "正在载入%[1]d条演示数据（%[2]d个县，%[3]d个月末报送，每日阅读互动）"},
	{DemoWeChat, "loading a year of the WeChat account %[1]s through a local stand-in for the WeChat API", "正在通过本地模拟的微信接口载入公众号“%[1]s”一年的数据"},
	{DemoDashboard, "rendering the dashboard as of %[1]s", "正在生成截至%[1]s的看板"},
	{DemoExporting, "exporting the county ranking table", "正在导出县级排名表"},
	{DemoTongbao, "writing the 通报 as a Word document", "正在将通报写成 Word 文档"},
	{DemoDone, "done; wrote:", "完成，已写入："},
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
	{RunItemFile, "%[1]s: %[2]d accepted, %[3]d rejected", "%[1]s：入库 %[2]d 行，拒收 %[3]d 行"},
	{RunItemFailed, "%[1]s: could not be read: %[2]s", "%[1]s：未能读取：%[2]s"},
	{RunItemSubmitter, "submitted by %[1]s", "报送单位：%[1]s"},
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

	{HelpHead, "followrank ranks units by how many of their retired cadres follow the\n\"离退休干部工作\" official account (关注率 = 关注人数 ÷ 离退休干部数).\n\nusage: followrank [--config FILE] COMMAND [options]\n\ncommands:\n",
		"followrank 按离退休干部中有多少人关注“离退休干部工作”公众号给各单位排名\n（关注率 = 关注人数 ÷ 离退休干部数）。\n\n用法：followrank [--config 文件] 命令 [选项]\n\n命令：\n"},
	{HelpTail, "\nThe config file defaults to ./followrank.yaml (see followrank.example.yaml);\nevery key can be set from the environment, e.g. FOLLOWRANK_CLICKHOUSE_DSN.\nDates are YYYY-MM-DD. Run 'followrank COMMAND --help' for a command's options.\n",
		"\n配置文件默认为 ./followrank.yaml（见 followrank.example.yaml），其中每一项也可以\n用环境变量设置，如 FOLLOWRANK_CLICKHOUSE_DSN。日期写作 2024-06-30 或 2024年6月30日；\n写 2024-06 即该月最后一天。运行 followrank 命令 --help 查看该命令的选项。\n"},
	{HelpCommand, "usage: followrank %[1]s %[2]s\n\n%[3]s\n\noptions:\n", "用法：followrank %[1]s %[2]s\n\n%[3]s\n\n选项：\n"},
	{HelpDefault, " (default %[1]s)", "（默认 %[1]s）"},
	{HelpDefaultText, " (default %[1]q)", "（默认 %[1]s）"},
	{HelpTypeString, "string", "文字"},
	{HelpTypeInt, "int", "整数"},
	{HelpTypeFloat, "float", "数字"},
	{HelpTypeValue, "value", "值"},

	{PasswdSummary, "print the hash of a password for server.users", "生成登录密码的哈希，填入 server.users"},
	{PasswdArgs, "", ""},
	{PasswdDesc, "Read a new password twice (not shown on a terminal; from a pipe, its first two lines) and print\nits bcrypt hash, to put in server.users[].password_hash. At least 8 characters.",
		"读取两次新密码（在终端输入时不显示；从管道读取时取前两行），输出其 bcrypt 哈希，\n填入 server.users[].password_hash。密码至少 8 个字符。"},
	{MigrateSummary, "create or upgrade the ClickHouse schema and load the built-in units", "创建或升级 ClickHouse 中的表，并载入内置的行政区划"},
	{MigrateArgs, "", ""},
	{MigrateDesc, "Create the database and tables, or upgrade them; safe to run again.", "创建数据库和表，或升级表结构；可以重复运行。"},
	{DemoSummary, "load the Anhui demo figures and render out/dashboard.html, out/ranking.xlsx and out/通报.docx", "载入安徽演示数据，生成 out/dashboard.html、out/ranking.xlsx 和 out/通报.docx"},
	{DemoArgs, "[-o DIR]", "[-o 文件夹]"},
	{DemoDesc, "Load the deterministic Anhui demo figures (16 cities, 104 county-level divisions,\n2023-01 to 2024-06) and a year of a county WeChat account, and render the dashboard, the county ranking\ntable and the 通报 as a Word document.",
		"载入固定的安徽演示数据（16个市、104个县级行政区，2023-01至2024-06）和一个县级微信公众号\n一年的数据，生成看板、县区排名表和 Word 格式的通报。"},
	{ImportSummary, "import figure sheets (CSV, XLSX, XLS, WPS ET) into ClickHouse", "把报表（CSV、XLSX、XLS、WPS ET）导入 ClickHouse"},
	{ImportArgs, "FILE... [--as-of DATE] [--within X] [--sheet NAME] [--dry-run]", "文件... [--as-of 日期] [--within 单位] [--sheet 工作表] [--dry-run]"},
	{ImportDesc, "Import figure sheets (CSV in UTF-8 or GBK, XLSX, Excel 97-2003 XLS, WPS ET). Each bad row is rejected with\nFILE:LINE: field: reason and the good rows are stored; re-importing a file changes nothing.\nExit status: 0 all stored, 1 some rows rejected, 2 a file could not be read (nothing stored from it).",
		"导入报表（UTF-8 或 GBK 编码的 CSV、XLSX、Excel 97-2003 XLS、WPS ET）。有误的行逐行拒收，写明\n文件、第几行、哪一栏和原因，其余各行入库；同一文件再导入一次不会改变数据。\n退出状态：0 全部入库，1 有行被拒收，2 有文件无法读取（该文件的数据均未入库）。"},
	{IngestSummary, "run the configured sources once (the nightly job, for system cron)", "把配置的数据源各运行一次（即每晚的任务，供系统 cron 调用）"},
	{IngestArgs, "[--source NAME] [--from D] [--to D]", "[--source 数据源] [--from 日期] [--to 日期]"},
	{IngestDesc, "Run the configured sources once, as the nightly job does: each source of every job in\nschedule: (or only --source). For system cron. Exit status as import: 0 all stored,\n1 some rows rejected, 2 a source failed.",
		"像每晚的定时任务一样，把 schedule: 中每个任务的每个数据源各运行一次（或只运行\n--source 指定的）。供系统 cron 调用。退出状态同 import：0 全部入库，1 有行被拒收，\n2 有数据源失败。"},
	{RankSummary, "print the ranking as of a date", "显示截至某日的排名"},
	{RankArgs, "--level L [--within X] [--date D] [--compare D2] [--format table|csv|json]", "--level 级别 [--within 单位] [--date 日期] [--compare 对比日期] [--format table|csv|json]"},
	{RankDesc, "Rank the units of one level below a scope by follow rate as of a date.", "按截至某日的关注率，给某一范围以下某一级的各单位排名。"},
	{ClimbSummary, "print a unit's rank over time", "显示某单位排名随时间的变化"},
	{ClimbArgs, "--unit X [--within Y] [--from D1] [--to D2] [--every month|week]", "--unit 单位 [--within 范围] [--from 起始日期] [--to 截止日期] [--every month|week]"},
	{ClimbDesc, "Show a unit's rank among the units of its level within a scope, step by step.", "逐月（或逐周）显示某单位在某一范围内同级单位中的排名。"},
	{ChartSummary, "render a chart as a self-contained HTML page", "生成图表，存为一个不依赖网络的 HTML 网页"},
	{ChartArgs, "[options] -o FILE.html", "[选项] -o 文件.html"},
	{ChartUsage, "usage: followrank chart ranking|climb|trend|map|account|dashboard [options] -o FILE.html\nRun 'followrank chart KIND --help' for the options of each kind.\n",
		"用法：followrank chart ranking|climb|trend|map|account|dashboard [选项] -o 文件.html\n运行 followrank chart 图表类型 --help 查看每种图表的选项。\n"},
	{ExportSummary, "write the ranking table (通报)", "导出排名表（通报附件）"},
	{ExportArgs, "--level L [--within X] [--date D] [--compare D2] --format xlsx|csv -o FILE", "--level 级别 [--within 单位] [--date 日期] [--compare 对比日期] --format xlsx|csv -o 文件"},
	{ExportDesc, "Write the ranking table (通报): XLSX ready to print on A4, or CSV (UTF-8 with BOM).", "导出排名表（通报附件）：可直接用 A4 纸打印的 XLSX，或 CSV（带 BOM 的 UTF-8）。"},
	{ReportSummary, "draft the 通报 paragraph from the figures", "根据数据起草通报正文"},
	{ReportArgs, "[--level L] [--within X] --date D --compare D2 [--focus UNIT]", "[--level 级别] [--within 单位] --date 日期 --compare 对比日期 [--focus 单位]"},
	{ReportDesc, "Draft the paragraph of a 通报 in Chinese: the overall rate and its change, the top and\nbottom three, the biggest climbers and the focus unit's place, from the same figures as the table.",
		"用与排名表相同的数据起草通报正文：总体关注率及其变化、前三名和后三名、进步最大的\n单位，以及重点单位的名次。"},
	{TongbaoSummary, "write the whole 通报: text, chart and the table as 附件, as Word or PDF", "生成完整的通报：正文、图表和作为附件的排名表，Word 或 PDF 格式"},
	{TongbaoArgs, "[--level L] [--within X] --date D [--compare D2] [--focus UNIT] -o FILE.docx|FILE.pdf", "[--level 级别] [--within 单位] --date 日期 [--compare 对比日期] [--focus 单位] -o 文件.docx|文件.pdf"},
	{TongbaoDesc, "Write the whole 通报, ready to sign: the title, the drafted text (editable in Word), the\nranking chart, the issuing office (bureau: in the config) and date, and the ranking table\nas 附件 with 制表单位, 制表日期 and page numbers. --compare defaults to the previous month's\nend. A .pdf is printed through LibreOffice, or Chromium when the machine has no LibreOffice.",
		"生成可直接签发的完整通报：标题、起草的正文（可在 Word 中修改）、排名图、发文单位（配置中的\nbureau:）和日期，以及作为附件的排名表（含制表单位、制表日期和页码）。--compare 默认为\n上月末。.pdf 用 LibreOffice 生成，本机没有 LibreOffice 时用 Chromium。"},
	{RemindSummary, "list the units to chase (催报): not reported, stale, below target, fallen", "列出需要催报的单位：未报送、数据过期、未达标、排名下降"},
	{RemindArgs, "[--level L] [--within X] [--date D] [--compare D2] [--target R] [--format text|csv|xlsx] [-o FILE]", "[--level 级别] [--within 单位] [--date 日期] [--compare 对比日期] [--target 目标] [--format text|csv|xlsx] [-o 文件]"},
	{RemindDesc, "List the units below a scope to chase between two 通报: those with no report in the month of\n--date (未报送, with their last report), stale (数据过期), below their target (未达标, with how\nmany more followers reach it), and fallen since --compare (排名下降, 关注率下降); then draft one\nreminder for each. Targets come from targets: in the config (a unit has its own or its nearest\nancestor's), or --target; units that have not reported are asked to by remind.due_day of the\nnext month. --compare defaults to the previous month's end.",
		"列出某一范围以下两次通报之间需要催报的单位：--date 所在月没有报送的（未报送，并写明上次报送日期）、\n数据过期的、低于目标的（未达标，并写明还需关注多少人）、与 --compare 相比排名或关注率下降的；\n并为每个单位起草一条催报通知。目标取配置中的 targets:（单位自己的，没有则取最近上级的），\n或 --target；未报送的单位请其于下月 remind.due_day 日前报送。--compare 默认为上月末。"},
	{UnitsSummary, "list the units the program knows", "列出程序已知的单位"},
	{UnitsArgs, "list [--within X] | import FILE", "list [--within 单位] | import 文件"},
	{UnitsDesc, "list: the units the program knows, with codes, levels and parents.\nimport: add or update units below counties from a CSV/XLSX file with the columns\n单位代码 (code), 单位名称 (name), 上级代码 (parent code) and optional 别名 (aliases).",
		"list：列出程序已知的单位，含代码、级别和上级。\nimport：从 CSV/XLSX 文件添加或更新县以下的单位，文件的列为单位代码、单位名称、上级代码，\n以及可选的别名。"},
	{RunsSummary, "list the latest ingestion runs", "列出最近的数据导入记录"},
	{RunsArgs, "[--limit N]", "[--limit 条数]"},
	{RunsDesc, "List the latest ingestion runs, newest first: when, the source, what was read (files and their counts, the submitter, the account's days), the status, rows stored and rejected, seconds, the error.",
		"列出最近的数据导入记录，最新的在前：开始时间、来源、内容（文件及其行数、报送单位、公众号的日期）、状态、入库和拒收行数、用时、错误。"},
	// The columns of `runs` and of `units list`, separated by tabs.
	{RunsColumns, "started\tsource\tstatus\taccepted\trejected\tseconds\titems\terror", "开始时间\t来源\t状态\t入库行数\t拒收行数\t用时（秒）\t内容\t错误"},
	{UnitsColumns, "code\tname\tlevel\tparent", "代码\t名称\t级别\t上级代码"},
	{ServeSummary, "serve the dashboard and ranking tables over HTTP", "通过 HTTP 提供看板和排名表"},
	{ServeArgs, "[--addr :8080]", "[--addr :8080]"},
	{ServeDesc, "Serve the dashboard (/), charts (/chart/ranking|climb|trend|map), the ranking table\n(/export.xlsx, /export.csv), the runs (/runs), /healthz, /metrics and the submission API\n(POST /api/v1/figures), and run the schedule, until interrupted. The schema is migrated at\nstart. Pages take the query parameters within, level, date, compare, from, to, unit, units.",
		"提供看板（/）、图表（/chart/ranking|climb|trend|map）、排名表（/export.xlsx、/export.csv）、\n导入记录（/runs）、/healthz、/metrics 和报送接口（POST /api/v1/figures），并按 schedule:\n运行定时任务，直到被中断。启动时升级表结构。网页接受查询参数 within、level、date、compare、\nfrom、to、unit、units。"},
	{VersionSummary, "print the version, the commit and when it was built", "显示版本号、源码提交和构建时间"},
	{VersionArgs, "", ""},
	{VersionDesc, "Print followrank's version, the commit it was built from, when it was built, the Go version and\nthe platform. A build that was not stamped with them (go build) says (devel), with the commit\nGo recorded, if any.",
		"显示 followrank 的版本号、构建所用的源码提交、构建时间、Go 版本和平台。未写入这些信息的构建\n（go build）显示 (devel)，以及 Go 记录的源码提交（如有）。"},
	{HelpSystemConfig, "Installed from a package, it reads %[1]s\nwhen there is no --config and no ./followrank.yaml.\n",
		"本程序由安装包安装：未给 --config、当前目录下也没有 followrank.yaml 时，读取 %[1]s。\n"},

	{ChartRankingDesc, "Draw the ranking of one level within a scope as horizontal bars, rank 1 on top.", "把某一范围内某一级的排名画成横向条形图，第1名在最上面。"},
	{ChartClimbDesc, "Draw a unit's rank over time among its siblings (the bump chart).", "画出某单位在同级单位中的排名随时间的变化。"},
	{ChartTrendDesc, "Draw units' follow rates over time, and their reads per 100 followers.", "画出各单位关注率随时间的变化，以及每百名关注者的阅读数。"},
	{ChartMapDesc, "Colour the areas below a scope by follow rate: China by province, a province by city, a city by county.", "按关注率给某一范围以下的区域着色：全国按省，一省按市，一市按县区。"},
	{ChartAccountDesc, "Draw a WeChat account's followers day by day and its reads per follower and activity.", "画出微信公众号每天的关注人数，以及人均阅读数和活跃度。"},
	{ChartDashboardDesc, "One page with the headline figures, the rankings, the map, the focus unit's climb and trend, and the accounts.", "一页看板：主要数字、排名、地图、重点单位的排名变化和趋势，以及公众号。"},

	{FlagLevel, "level to rank: province, city, county or unit", "排名的`级别`：province（省）、city（市）、county（县区）或 unit（单位）"},
	{FlagWithin, "scope to rank within, code or name (default: the configured scope)", "在哪个`单位`范围内排名，写代码或名称（默认：配置中的 scope）"},
	{FlagDate, "as-of date (default: the latest reported date)", "统计`日期`（默认：最近的上报日期）"},
	{FlagCompare, "earlier date for 上期排名 and the rank change (较上期)", "用于上期排名和较上期名次变化的较早`日期`"},
	{FlagChartOut, "HTML file to write (required)", "要写入的 HTML `文件`（必填）"},
	{FlagChartPNG, "also render the page to this PNG file with headless Chromium (implies --animation=false)", "同时用无界面的 Chromium 把网页存为这个 PNG `文件`（即 --animation=false）"},
	{FlagChartTitle, "title instead of the generated one", "图表的`标题`，代替自动生成的标题"},
	{FlagChartTheme, "light or dark", "`配色`：light（浅色）或 dark（深色）"},
	{FlagChartAnimation, "animate the charts; --animation=false for printing", "图表带动画；打印时用 --animation=false"},
	{FlagChartUnit, "climb: the unit whose climb to draw", "climb：画哪个`单位`的排名变化"},
	{FlagChartUnits, "trend: units to draw, comma-separated codes or names", "trend：画哪些`单位`，写代码或名称，用逗号分隔"},
	{FlagChartAccount, "account: the WeChat account to draw (default: the first stored)", "account：画哪个微信`公众号`（默认：已入库的第一个）"},
	{FlagChartFocus, "dashboard: the unit to highlight and follow", "dashboard：突出显示并跟踪的`单位`"},
	{FlagChartHighlight, "ranking, map: unit drawn in its own colour (outlined on a map)", "ranking、map：用单独颜色画出的`单位`（在地图上勾出边界）"},
	{FlagChartTarget, "ranking: target follow rate drawn as a line, e.g. 90%% or 0.9", "ranking：画成一条线的目标`关注率`，如 90%% 或 0.9"},
	{FlagChartFrom, "climb: first date (default: the first reported date)", "climb：起始`日期`（默认：最早的上报日期）"},
	{FlagChartTo, "climb: last date (default: the latest reported date)", "climb：截止`日期`（默认：最近的上报日期）"},
	{FlagRankFormat, "output: table, csv or json", "输出`格式`：table（表格）、csv 或 json"},
	{FlagClimbUnit, "the unit, code or name (required)", "`单位`，写代码或名称（必填）"},
	{FlagClimbWithin, "scope, code or name (default: the configured scope)", "`范围`，写代码或名称（默认：配置中的 scope）"},
	{FlagClimbFrom, "first date (default: the first reported date)", "起始`日期`（默认：最早的上报日期）"},
	{FlagClimbTo, "last date (default: the latest reported date)", "截止`日期`（默认：最近的上报日期）"},
	{FlagClimbEvery, "step: month or week", "`步长`：month（每月）或 week（每周）"},
	{FlagExportFormat, "xlsx or csv (default: from the file name)", "`格式`：xlsx 或 csv（默认：看文件名）"},
	{FlagExportOut, "file to write (required)", "要写入的`文件`（必填）"},
	{FlagExportHighlight, "unit to mark in the XLSX", "在 XLSX 中标出的`单位`"},
	{FlagExportAllLevels, "XLSX: one sheet for each level below the scope (cities, counties, …)", "XLSX：范围以下每一级（市、县区……）各一个工作表"},
	{FlagReportFocus, "unit whose place and change to state", "正文中说明其名次和变化的`单位`"},
	{FlagTongbaoFocus, "unit whose place the text states and the table marks", "正文说明其名次、表中标出的`单位`"},
	{FlagTongbaoOut, "file to write: .docx (Word, WPS) or .pdf", "要写入的`文件`：.docx（Word、WPS）或 .pdf"},
	{FlagTongbaoFormat, "docx or pdf (default: from -o's extension)", "`格式`：docx 或 pdf（默认：看 -o 的扩展名）"},
	{FlagRemindLevel, "level of the units to check (default: county, or unit within a county)", "检查哪一`级别`的单位（默认：county（县区）；范围是县时为 unit（单位））"},
	{FlagRemindTarget, "target follow rate, e.g. 90%% or 0.9, for every unit (default: targets: in the config)", "目标`关注率`，如 90%% 或 0.9，对所有单位适用（默认：配置中的 targets:）"},
	{FlagRemindFormat, "text, csv or xlsx (default: from -o's extension, else text)", "`格式`：text（文本）、csv 或 xlsx（默认：看 -o 的扩展名，否则为文本）"},
	{FlagRemindOut, "file to write (default: the terminal; xlsx needs one)", "要写入的`文件`（默认：输出到终端；xlsx 必须写文件）"},
	{FlagImportAsOf, "date of the figures when the sheet has no 日期 column (default: from the title or file name)", "表中没有“日期”列时数据的统计`日期`（默认：从标题或文件名读出）"},
	{FlagImportWithin, "the unit whose units the sheets list, code or name (default: from the title, else all of China)", "报表所列各单位的上级`单位`，写代码或名称（默认：从标题读出，否则为全国）"},
	{FlagImportSheet, "read only this sheet of each workbook", "每个工作簿只读这个`工作表`"},
	{FlagImportDryRun, "check the sheets and report, but store nothing", "只检查报表并报告结果，不入库"},
	{FlagIngestSource, "run only this source (inbox, wechat)", "只运行这个`数据源`（inbox、wechat）"},
	{FlagIngestFrom, "first day to fetch, for sources that fetch by day (default: the day after the last stored)", "按天抓取的数据源从哪一`日期`抓起（默认：已入库的最后一天的次日）"},
	{FlagIngestTo, "last day to fetch (default: yesterday in the configured time zone)", "抓取到哪一`日期`为止（默认：配置时区的昨天）"},
	{FlagDemoOut, "folder to write dashboard.html, ranking.xlsx, ranking.csv and 通报.docx into", "写入 dashboard.html、ranking.xlsx、ranking.csv 和 通报.docx 的`文件夹`"},
	{FlagUnitsWithin, "list: only this unit and those below it (code or name)", "list：只列这个`单位`及其下属单位（写代码或名称）"},
	{FlagRunsLimit, "how many runs to list", "列出的记录`条数`"},
	{FlagServeAddr, "address to listen on", "监听的`地址`"},

	{NoCommand, "no command given", "没有给出命令"},
	{CommandUnknown, "unknown command %[1]q; run 'followrank help'", "没有“%[1]s”这个命令；运行 followrank help 查看所有命令"},
	{LangUnknown, "--lang: %[1]q is not a language followrank speaks: zh (中文) or en", "--lang：不支持“%[1]s”，可选 zh（中文）或 en（英文）"},
	{FlagMistake, "%[1]s: %[2]s (see followrank %[1]s --help)", "%[1]s：%[2]s（见 followrank %[1]s --help）"},
	{FlagMistakeTop, "%[1]s (see followrank --help)", "%[1]s（见 followrank --help）"},
	{FlagUndefined, "flag provided but not defined: -%[1]s", "没有 --%[1]s 这个选项"},
	{FlagNeedsValue, "flag needs an argument: -%[1]s", "--%[1]s 后面要写一个值"},
	{FlagBadValue, "invalid value %[2]q for flag -%[1]s: %[3]s", "--%[1]s 的值“%[2]s”不对：%[3]s"},
	{FlagBadBool, "invalid boolean value %[2]q for -%[1]s: parse error", "--%[1]s 的值“%[2]s”不对：应为 true 或 false"},
	{FlagBadSyntax, "bad flag syntax: %[1]s", "选项的写法不对：%[1]s"},
	{FlagNotDate, "not a date like 2024-06-30, 2024年6月30日 or 2024-06", "不是日期，应写作 2024-06-30、2024年6月30日或 2024-06"},
	{FlagNotDay, "not a day of the calendar", "日历上没有这一天"},
	{FlagNotRate, "not a rate like 0.9 or 90%%", "不是比率，应写作 0.9 或 90%%"},
	{FlagNotWhole, "parse error", "不是整数"},
	{FlagNotNumber, "parse error", "不是数字"},
	{FlagOutOfRange, "value out of range", "超出范围"},
	{FlagProblem, "%[1]s: %[2]s", "%[1]s：%[2]s"},
	{FlagNotOneOf, "%[1]s %[2]q is not %[3]s", "%[1]s 的值“%[2]s”不对，应为 %[3]s"},
	{LevelUnknown, "%[1]s: level %[2]q is not country, province, city, county or unit", "%[1]s：没有“%[2]s”这一级，应为 country（全国）、province（省）、city（市）、county（县区）或 unit（单位）"},
	{NoSuchUnit, "%[1]s: unknown unit %[2]q%[3]s", "%[1]s：未知单位“%[2]s”%[3]s"},
	{NoSuchUnitScope, "%[1]s: unknown unit %[2]q within %[3]s%[4]s", "%[1]s：%[3]s范围内没有单位“%[2]s”%[4]s"},
	{ClosestUnits, "; closest known: %[1]s", "；相近的有：%[1]s"},
	{AmbiguousUnit, "%[1]s: unit %[2]q is ambiguous: %[3]s; give its code or narrow --within", "%[1]s：“%[2]s”有重名：%[3]s；请写单位代码，或用 --within 缩小范围"},
	{UnitNotWithin, "%[1]s: %[2]s %[3]s is not within %[4]s", "%[1]s：%[3]s（%[2]s）不属于%[4]s"},
	{UnitAndCode, "%[1]s %[2]s", "%[1]s（%[2]s）"},
	{UnitRequired, "--unit is required, e.g. --unit 蒙城县", "请用 --unit 指定单位，如 --unit 蒙城县"},
	{NoSheets, "import: name at least one figure sheet (CSV or XLSX)", "import：请至少写一个报表文件（CSV 或 XLSX）"},
	{ChartKindNeeded, "chart: name the kind of chart: ranking, climb, trend, map, account or dashboard", "chart：请写图表类型：ranking（排名）、climb（排名变化）、trend（趋势）、map（地图）、account（公众号）或 dashboard（看板）"},
	{ChartOutNeeded, "chart %[1]s: -o FILE.html is required", "chart %[1]s：请用 -o 文件.html 指定要写入的文件"},
	{ExportOutNeeded, "export: -o FILE is required", "export：请用 -o 文件 指定要写入的文件"},
	{AllLevelsXLSX, "--all-levels writes one sheet per level, which needs --format xlsx", "--all-levels 每一级写一个工作表，需要 --format xlsx"},
	{TongbaoOutNeeded, "-o FILE.docx or -o FILE.pdf is required (or --format docx|pdf)", "请用 -o 文件.docx 或 -o 文件.pdf 指定要写入的文件（或用 --format docx|pdf 指定格式）"},
	{RemindXLSXOut, "remind: --format xlsx needs -o FILE.xlsx", "remind：xlsx 格式请用 -o 文件.xlsx 指定要写入的文件"},
	{TargetRange, "--target %[1]v must be above 0 and at most 1 (100%%), e.g. 90%% or 0.9", "--target 的值 %[1]v 不对，应大于0且不超过1（100%%），如 90%% 或 0.9"},
	{NoSuchSource, "--source %[1]s: no such source is configured (see sources: in the config)", "--source %[1]s：配置中没有这个数据源（见配置文件的 sources:）"},
	{NoSources, "ingest: no source is configured; add sources: (and schedule:) to the config, see followrank.example.yaml", "ingest：没有配置任何数据源；请在配置文件中添加 sources:（和 schedule:），见 followrank.example.yaml"},
	{UnitsUsage, "usage: followrank units list [--within X] | followrank units import FILE", "用法：followrank units list [--within 单位] | followrank units import 文件"},
	{BadSchedule, "schedule %[1]s: %[2]s", "定时任务 %[1]s（schedule:）：%[2]s"},

	{ClickHouseUnreachable, "cannot reach ClickHouse at %[1]s: %[2]s", "连接不上 ClickHouse %[1]s（请确认它已启动，且配置中的 clickhouse.dsn 无误）：%[2]s"},
	{ClickHouseNoDatabase, "ClickHouse at %[1]s has no database %[2]q: run `followrank migrate` first", "ClickHouse %[1]s 中还没有数据库“%[2]s”：请先运行 followrank migrate"},
	{NoFigures, "no figures are stored yet: import a figure sheet or run `followrank demo`", "还没有任何数据：请先导入报表（followrank import 文件），或运行 followrank demo 载入演示数据"},
	{NoUnitsBelow, "%[1]s has no units below it to rank", "%[1]s以下没有可以排名的单位"},
	{BuiltinOnly, "note: %[1]s; checking against the built-in divisions only", "注意：%[1]s；只按内置的行政区划检查"},
	{RunID, " (run %[1]s)", "（批次 %[1]s）"},
	{UnitsNotStored, "units import: nothing stored:\n%[1]s", "units import：未入库任何单位：\n%[1]s"},
	{SourcesFailed, "%[1]d of %[2]d sources failed", "%[2]d个数据源中有%[1]d个失败"},
	{SourcesRejected, "some rows were rejected; see `followrank runs`", "有行被拒收；见 followrank runs"},
}

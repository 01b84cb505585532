"""The verdict catalogue of spec section 15.4: every sentence a verifier prints.

Keys are ``headline.*``, ``also``, ``warning.*``, ``section.*``, ``value.*``, ``cause.<code>``
(15.3), ``check.<code>`` (15.2), ``label.<key>`` (15.5) and ``error.<kind>``. The standalone
verifier holds the same catalogue; ``tests/records/test_standalone_verdicts.py`` checks that both
equal the table in docs/spec.md.
"""

from __future__ import annotations

# ruff: noqa: E501 (one sentence per line: the catalogue is data, compared with the spec)

__all__ = ["MESSAGES"]

#: key -> (English, Chinese); ``{name}`` marks a value filled in when printing.
MESSAGES: dict[str, tuple[str, str]] = {
    "headline.verified": (
        "VERIFIED: record {digest}… re-derives exactly",
        "核验通过：记录 {digest}… 经重新计算完全一致",
    ),
    "headline.not-verified": ("NOT VERIFIED: {cause}", "核验未通过：{cause}"),
    "headline.cannot-verify": ("CANNOT VERIFY: {reason}", "无法核验：{reason}"),
    "also": ("Also: {cause}", "另外：{cause}"),
    "note": ("note: {note}", "说明：{note}"),
    "note.publicly-random": (
        "publicly random: announced before its sources were published; the draw follows the announcement",
        "公开随机：抽取前已公告，且早于随机源公布；抽取与公告一致",
    ),
    "note.raw-seed": (
        "not publicly random: the authority chose the seed (a raw seed; nothing in the record shows where it came from)",
        "非公开随机：种子由机关直接给出（原始种子，记录中看不出其来源）",
    ),
    "note.unannounced": (
        "not publicly random: no announcement fixed the sources, their order, the secret and the inputs before the sources were published, so the authority could have chosen them after",
        "非公开随机：随机源公布前没有公告固定随机源、其顺序、密钥和输入，机关可能在看到随机数之后再作选择",
    ),
    "note.low-entropy": (
        "the seed material breaks the entropy rules of spec 2.4 (override recorded as seed.low_entropy_allowed)",
        "随机源的熵低于规范第 2.4 节的要求（记录中 seed.low_entropy_allowed 为 true）",
    ),
    "note.weak-sources": (
        "the sources carry {digits} entropy digits (spec 15.3), fewer than 20",
        "随机源只有 {digits} 位有效熵数字（规范第 15.3 节），少于 20 位",
    ),
    "note.weak-secret": (
        "the secret looks chosen, not drawn: whoever guessed it could compute the draw as soon as the sources were published",
        "密钥看起来是人为选定而非随机生成：猜到密钥的人在随机源公布后即可算出抽取结果",
    ),
    "section.differs": ("What differs:", "不一致之处："),
    "section.announcement": ("Compare with what was announced:", "请与公告核对："),
    "line": ("{label}: {value}", "{label}：{value}"),
    "section.details": ("Details ({count}):", "详细差异（{count} 处）："),
    "value.none": ("(none)", "（无）"),
    "value.yes": ("yes", "是"),
    "value.no": ("no", "否"),
    "value.checked": ("checked", "已核对"),
    "value.not-checked": ("not checked (give the previous record)", "未核对（需提供上一份记录）"),
    "cause.wrong-population": (
        "the population file is not the one the draw used",
        "名录文件不是本次抽取所用的文件",
    ),
    "cause.wrong-commitment": (
        "the population or the authority secret is not the one committed to before the draw",
        "名录或机关密钥与抽取前公布的承诺不符",
    ),
    "cause.wrong-seed": (
        "the seed does not re-derive from the published sources",
        "随机种子不能由公布的随机源重新推导出来",
    ),
    "cause.wrong-subkey": (
        "the sub-key does not follow from the seed and the purpose",
        "子密钥与随机种子和用途不符",
    ),
    "cause.not-as-announced": (
        "the draw does not follow its announcement, made before the random values were known",
        "抽取与随机数产生之前发布的公告不一致",
    ),
    "cause.wrong-directory": (
        "the inspector directory or expert pool is not the one the assignment used",
        "执法人员名录或专家库不是本次分派所用的",
    ),
    "cause.wrong-assignment-input": (
        "the visits or the conflict-of-interest data are not the ones the assignment used",
        "检查任务或回避数据不是本次分派所用的数据",
    ),
    "cause.wrong-notice": (
        "the receipt was issued for another notice",
        "回执不是针对这份公示出具的",
    ),
    "cause.wrong-receipt-data": (
        "the receipt's unit data or proof do not lead to the committed population",
        "回执中的企业数据或证明路径不能推导出已承诺的名录",
    ),
    "cause.selection-edited": (
        "the selection was edited: it is not what the algorithm draws",
        "抽中名单被改动过：与算法重新抽取的结果不同",
    ),
    "cause.sizes-inconsistent": (
        "the per-stratum counts or sample sizes do not agree with the data",
        "各层户数或样本量与数据不符",
    ),
    "cause.teams-edited": (
        "the teams were edited: they are not what the algorithm assigns",
        "检查组被改动过：与算法重新分派的结果不同",
    ),
    "cause.replacement-wrong": (
        "a replacement does not follow the rule (the next unit in ticket order)",
        "替补不符合规则（应为同层按签号顺序的下一家）",
    ),
    "cause.adjustment-wrong": (
        "a team adjustment does not follow the rule (the next eligible member in ticket order)",
        "检查组调整不符合规则（应为按签号顺序的下一位符合条件的人员）",
    ),
    "cause.result-invalid": (
        "a result record breaks the rules for results (content, state change or link)",
        "检查结果记录违反规则（内容、状态变化或链接）",
    ),
    "cause.notice-mismatch": (
        "the public notice does not match the sealed draw record",
        "公示与封存的抽取记录不一致",
    ),
    "cause.receipt-ticket": (
        "the receipt's ticket or threshold is wrong",
        "回执中的签号或阈值有误",
    ),
    "cause.record-edited": (
        "a record was changed after it was sealed: its digest does not match its content",
        "记录在封存后被改动过：其摘要与内容不符",
    ),
    "cause.chain-broken": (
        "the chain link is broken: the record does not follow the previous record given",
        "链接断开：本记录没有接在所给的上一份记录之后",
    ),
    "cause.other": ("the record differs from its re-computation", "记录与重新计算的结果不同"),
    "check.record-digest": ("record digest", "记录摘要"),
    "check.seed": (
        "seed (sources, key, commitment, value)",
        "随机种子（随机源、密钥串、承诺、种子值）",
    ),
    "check.subkey": ("sub-key or purpose", "子密钥或用途"),
    "check.announcement": ("the announcement made before the draw", "抽取前发布的公告"),
    "check.population": ("population digest or unit counts", "名录摘要或户数"),
    "check.commitment": ("population commitment", "名录承诺"),
    "check.design": ("per-stratum counts, sample sizes or thresholds", "各层户数、样本量或阈值"),
    "check.selection": ("selected units", "抽中企业"),
    "check.chain": ("link to the previous record", "与上一份记录的链接"),
    "check.replacement": ("replacements", "替补"),
    "check.directory": (
        "inspector directory or expert pool, digest or count",
        "执法人员名录或专家库的摘要或人数",
    ),
    "check.assignment-input": ("visits or conflicts digest", "检查任务或回避数据摘要"),
    "check.teams": ("teams or unstaffed visits", "检查组或未配齐的任务"),
    "check.adjustment": ("team adjustments", "检查组调整"),
    "check.result": ("result records", "检查结果记录"),
    "check.notice": ("public notice against the draw record", "公示与抽取记录的对应"),
    "check.receipt-notice": ("notice digest in the receipt", "回执中的公示摘要"),
    "check.receipt-proof": ("unit data or proof in the receipt", "回执中的企业数据或证明路径"),
    "check.receipt-ticket": ("ticket or threshold in the receipt", "回执中的签号或阈值"),
    "check.other": ("other fields", "其他字段"),
    "label.record_format": ("record format", "记录格式"),
    "label.record_digest": ("record digest", "记录摘要"),
    "label.authority": ("authority", "机关"),
    "label.draw_id": ("draw id", "抽取编号"),
    "label.assignment_id": ("assignment id", "分派编号"),
    "label.notice_id": ("notice id", "公示编号"),
    "label.timestamp": ("timestamp (UTC)", "时间（UTC）"),
    "label.algorithm": ("algorithm", "算法"),
    "label.previous_record_digest": ("previous record", "上一份记录"),
    "label.chain": ("chain link", "链接"),
    "label.population_digest": ("population digest", "名录摘要"),
    "label.population_commitment": ("population commitment", "名录承诺"),
    "label.buckets": ("commitment buckets", "承诺分桶数"),
    "label.units": ("units (eligible)", "户数（可抽）"),
    "label.seed_key": ("seed key", "种子密钥串"),
    "label.source": ("source {number}", "随机源 {number}"),
    "label.seed_commitment": ("seed commitment", "种子承诺"),
    "label.raw_seed": ("raw seed", "原始种子"),
    "label.purpose": ("purpose", "用途"),
    "label.sample_sizes": ("sample sizes", "样本量"),
    "label.selected": ("units selected", "抽中户数"),
    "label.replacement": ("replacement {number}", "替补 {number}"),
    "label.directory_digest": ("directory digest", "执法人员名录摘要"),
    "label.inspectors": ("inspectors", "执法人员数"),
    "label.input_digest": ("visits and conflicts digest", "任务数据摘要"),
    "label.visits": ("visits", "检查任务数"),
    "label.conflicts_digest": ("conflicts digest", "回避数据摘要"),
    "label.experts_digest": ("expert pool digest", "专家库摘要"),
    "label.experts": ("experts", "专家人数"),
    "label.unstaffed": ("unstaffed", "未配齐"),
    "label.adjustment": ("adjustment {number}", "调整 {number}"),
    "label.records": ("result records", "结果记录数"),
    "label.draw_record_digest": ("draw record", "抽取记录"),
    "label.announcement": ("announcement", "公告"),
    "label.announced_at": ("announced at (UTC)", "公告时间（UTC）"),
    "label.task": ("task", "任务"),
    "label.drawn": ("units drawn", "抽中户数"),
    "label.notice_digest": ("notice digest", "公示摘要"),
    "label.unit": ("enterprise", "企业"),
    "label.stratum": ("stratum", "分层"),
    "label.eligible": ("eligible", "可抽"),
    "label.unit_selected": ("selected", "是否抽中"),
    "label.ticket": ("ticket", "签号"),
    "label.threshold": ("threshold", "阈值"),
    "error.python": (
        "this verifier needs Python 3.10 or later",
        "本核验程序需要 Python 3.10 或更高版本",
    ),
    "error.usage": ("wrong command line: {detail}", "命令行有误：{detail}"),
    "error.file": ("cannot read {file}: {detail}", "无法读取 {file}：{detail}"),
    "error.encoding": ("{file} is not UTF-8 text: {detail}", "{file} 不是 UTF-8 文本：{detail}"),
    "error.json": ("{file} is not valid JSON: {detail}", "{file} 不是有效的 JSON：{detail}"),
    "error.csv": (
        "{file} is not a valid population file: {detail}",
        "{file} 不是有效的名录文件：{detail}",
    ),
    "error.record": ("{file} is not a valid record: {detail}", "{file} 不是有效的记录：{detail}"),
    "error.input": ("{file} is not valid input: {detail}", "{file} 不是有效的输入数据：{detail}"),
    "error.unsupported": (
        "{file}: not supported by this verifier: {detail}",
        "{file}：本核验程序不支持：{detail}",
    ),
    "error.missing": ("an input is missing: {detail}", "缺少输入文件：{detail}"),
    "error.other": ("{detail}", "{detail}"),
}

"""The word pools of the random corpus (:mod:`perfxl.testing.corpus`): units, projects,
indicators and the 一级/二级 framework they are drawn under.

Kept as compact text tables so that adding a unit or an indicator is one line.
"""

from __future__ import annotations

# 主管部门 | 实施单位 | project names | 数量指标 pool (name:unit:low:high)
_UNITS_TABLE = """
歙县文化和旅游局|歙县文化馆|公共文化服务体系建设专项资金,非物质文化遗产保护经费|举办群众文化活动场次:场次:20:120,送戏下乡演出场次:场:10:60
喀什地区质量技术监督局|喀什地区计量检定所|计量器具强制检定经费,认证认可监管专项经费|监督检查企业数量:家:10:60,检定计量器具数量:台:200:3000
石家庄市农业农村局|石家庄市农业技术推广站|农业技术推广补助资金,高标准农田建设项目|推广农业新技术:项:3:15,培训农民:人次:500:5000,建设高标准农田面积:亩:1000:20000
成都市教育局|成都市青羊区实验小学|义务教育薄弱环节改善资金,学生资助补助经费|资助家庭经济困难学生:人:100:3000,改造校舍面积:平方米:500:8000
昆明市卫生健康委员会|昆明市疾病预防控制中心|基本公共卫生服务项目,重大传染病防控经费|建立居民健康档案:份:5000:80000,开展健康教育讲座:次:12:80
福州市林业局|福州市国有林场|森林防火专项经费,重点生态区位商品林赎买资金|植树造林面积:亩:500:10000,开展防火巡查:次:50:400
合肥市交通运输局|合肥市公路事业发展中心|农村公路养护专项资金,危桥改造工程补助|养护农村公路里程:公里:50:900,改造危桥数量:座:2:30
保定市生态环境局|保定市环境监测站|大气污染防治专项资金,环境监测能力建设项目|建设空气自动监测站:个:2:20,开展执法检查:次:30:300
绵阳市民政局|绵阳市社会福利院|困难群众救助补助资金,养老服务体系建设资金|救助困难群众:人:300:9000,新增养老床位:张:20:500
大理州水利局|大理州水文水资源局|水资源监测能力建设,农村饮水安全巩固提升工程|新建水文监测站点:个:3:25,受益农村人口:人:1000:40000
泉州市人力资源和社会保障局|泉州市就业服务中心|就业补助资金,职业技能提升行动专项资金|开展职业技能培训:人次:300:6000,举办招聘会:场:5:40
宜宾市住房和城乡建设局|宜宾市住房保障中心|城镇老旧小区改造补助资金,保障性安居工程专项资金|改造老旧小区:个:3:40,发放租赁补贴:户:100:3000
"""
# 二级 | indicators (name:kind:param); kinds: pct (threshold), month, cost, le/count (unit:lo:hi),
# zero (unit), qual (target text)
_POOLS_TABLE = """
质量指标|项目验收合格率:pct:95,资金发放准确率:pct:100,设备完好率:pct:98,培训合格率:pct:90,工作任务完成率:pct:100
时效指标|项目完成时间:month:,资金拨付及时率:pct:100,任务完成时限:month:
成本指标|项目总成本:cost:,人均补助标准:le:元:500:3000,单位运行成本:le:万元:2:30
经济效益指标|带动相关产业增收:count:万元:20:500,促进区域经济发展:qual:有效促进,节约运行成本:count:万元:5:80
社会效益指标|群众知晓率:pct:85,受益群众人数:count:人:500:20000,重大安全事故发生次数:zero:次,提升公共服务水平:qual:明显提升,有效投诉次数:le:起:3:10
生态效益指标|污染物排放达标率:pct:100,改善人居环境:qual:有效改善,环境污染事件发生次数:zero:起
可持续影响指标|长效管理机制:qual:建立健全,项目持续发挥效益年限:count:年:3:10
服务对象满意度指标|服务对象满意度:pct:90,群众满意度:pct:85,受益对象满意度:pct:95
经济成本指标|项目总成本:cost:,设备购置成本:le:万元:5:60
社会成本指标|对社会发展的负面影响:qual:不产生负面社会影响
生态环境成本指标|对生态环境的负面影响:qual:不造成生态环境破坏
"""
# where a project is carried out: a real inbox holds thousands of distinct projects,
# so each file's project is placed in one of these 400 (file i -> place i mod 400);
# the same project, unit and year still meet now and then, as resubmissions do
_PLACE_NAMES = ("东城 西湖 南山 北塘 清河 长安 新华 和平 建设 胜利 红星 城关 金沙 青山 白云 龙泉 凤凰 "
                "桃源 石门 柳林 黄土 双桥 三江 五里 七星 九龙 平安 永丰 太平 兴隆 丰收 光明 向阳 "
                "东风 高桥 马场 杨柳 梨花 松林 竹园").split()  # fmt: skip
_PLACE_KINDS = "镇 乡 街道 社区 村 片区 园区 新区 工业园 示范区".split()
PLACES = tuple(f"{name}{kind}" for kind in _PLACE_KINDS for name in _PLACE_NAMES)
Item = tuple[str, str, tuple[str, ...]]  # name, kind, params


def _items(text: str) -> tuple[Item, ...]:
    out = []
    for entry in text.split(","):
        name, kind, *params = entry.split(":")
        out.append((name, kind, tuple(params)))
    return tuple(out)


UNITS = [
    (
        d,
        i,
        tuple(p.split(",")),
        tuple((n, "count", tuple(a)) for n, *a in (q.split(":") for q in qs.split(","))),
    )
    for d, i, p, qs in (line.split("|") for line in _UNITS_TABLE.strip().splitlines())
]
POOLS = {k: _items(v) for k, v in (line.split("|") for line in _POOLS_TABLE.strip().splitlines())}
# 一级 -> (二级, (min, max) indicators drawn), with the 一级 weights of the form
STANDARD = {
    "产出指标": (("数量指标", 1, 4), ("质量指标", 1, 3), ("时效指标", 0, 2), ("成本指标", 0, 2)),
    "效益指标": (
        ("经济效益指标", 0, 2),
        ("社会效益指标", 1, 3),
        ("生态效益指标", 0, 2),
        ("可持续影响指标", 0, 2),
    ),
    "满意度指标": (("服务对象满意度指标", 1, 2),),
}
COST_L1 = {
    "产出指标": STANDARD["产出指标"][:3],
    "成本指标": (("经济成本指标", 1, 2), ("社会成本指标", 0, 1), ("生态环境成本指标", 0, 1)),
    "效益指标": STANDARD["效益指标"],
    "满意度指标": STANDARD["满意度指标"],
}
REASONS = (
    "受疫情影响，部分活动延期举办，下一步将加快实施进度。",
    "资金下达较晚，项目进度滞后，已督促加快推进。",
    "实际需求较计划减少，今后将科学测算目标值。",
    "部分工程尚在审计结算中，尾款未支付。",
    "无",
    "0",
)
NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇")
TITLES = ("项目支出绩效自评表", "项目支出绩效目标自评表", "部门预算项目支出绩效自评表")

//! A realistic, deterministic village for the demo, tests and benchmarks: households,
//! villagers with plausible ages, party members (some probationary), representatives and
//! the two committees — written as the CSV a secretary would export from Excel.

/// Shape of a generated village.
#[derive(Debug, Clone, Copy)]
pub struct VillageSpec {
    /// Active households (two more, whose members all moved out, are added).
    pub households: usize,
    pub seed: u64,
}

impl Default for VillageSpec {
    fn default() -> Self {
        VillageSpec {
            households: 365,
            seed: 2026,
        }
    }
}

/// A small deterministic PRNG (xorshift64*): the demo must be the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
    "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚",
    "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "江", "史",
    "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱", "汤", "尹", "黎", "易", "常", "武", "乔",
    "贺", "赖", "龚", "文",
];
const MALE: &[&str] = &[
    "建国", "国强", "志强", "永红", "建华", "志明", "伟", "强", "军", "磊", "勇", "杰", "涛", "明",
    "超", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "斌", "宇", "浩", "凯", "健", "俊", "帆",
    "建军", "德明", "福生", "长林", "海涛", "玉山", "振华", "树林", "春生", "金海",
];
const FEMALE: &[&str] = &[
    "秀英", "桂英", "秀兰", "玉兰", "桂兰", "丽", "敏", "静", "艳", "娟", "霞", "燕", "芳", "玲",
    "红", "琴", "云", "慧", "莉", "萍", "婷", "雪", "佳", "欣", "悦", "淑珍", "凤英", "春梅",
    "海燕", "晓红", "金凤", "美兰", "翠花", "素芬", "丽华", "彩霞",
];

/// One generated villager (a row of the CSV).
#[derive(Debug, Clone)]
pub struct Villager {
    pub household: String,
    pub name: String,
    pub relation: &'static str,
    pub male: bool,
    pub birth: (i32, u32, u32),
    pub party: &'static str,
    pub representative: bool,
    pub committee: &'static str,
    pub status: &'static str,
}

/// The offices a village's people are given: 7 committee seats (5 of them party members),
/// 38 more party members, 2 probationary members and 28 representatives, each a different
/// active adult born 1950–1990.
pub const OFFICES: usize = 7 + (43 - 5) + 2 + 28;

/// The built-in village (its households and seed always staff every office).
pub fn village(spec: VillageSpec) -> Vec<Villager> {
    try_village(spec).expect("the built-in village staffs its offices")
}

/// Generates the village: about 2.3 people a household, 45 party members (2
/// probationary), 28 representatives, 5 branch-committee and 5 village-committee seats
/// (3 people hold both). Or, when too few of its people can hold the [`OFFICES`], how many
/// can.
pub fn try_village(spec: VillageSpec) -> Result<Vec<Villager>, usize> {
    let mut rng = Rng::new(spec.seed);
    let mut out: Vec<Villager> = Vec::new();
    let total = spec.households + 2;
    for h in 0..total {
        let hh = format!("{:04}", h + 1);
        let surname = rng.pick(SURNAMES);
        let head_male = rng.below(10) < 8;
        let head_year = 1945 + rng.below(50) as i32;
        let gone = h >= spec.households; // the last two households moved out entirely
        let status = |rng: &mut Rng| -> &'static str {
            if gone {
                "迁出"
            } else if rng.below(10) < 2 {
                "外出"
            } else {
                "在村"
            }
        };
        let given = |rng: &mut Rng, male: bool| {
            if male {
                rng.pick(MALE)
            } else {
                rng.pick(FEMALE)
            }
        };
        let mut members = vec![Villager {
            household: hh.clone(),
            name: format!("{surname}{}", given(&mut rng, head_male)),
            relation: "户主",
            male: head_male,
            birth: (
                head_year,
                1 + rng.below(12) as u32,
                1 + rng.below(28) as u32,
            ),
            party: "否",
            representative: false,
            committee: "",
            status: status(&mut rng),
        }];
        // Household size: 1 to 4, averaging about 2.3.
        let extra = [0, 0, 1, 1, 1, 1, 2, 2, 3, 2][rng.below(10) as usize];
        if extra >= 1 {
            let spouse_surname = rng.pick(SURNAMES);
            members.push(Villager {
                household: hh.clone(),
                name: format!("{spouse_surname}{}", given(&mut rng, !head_male)),
                relation: "配偶",
                male: !head_male,
                birth: (
                    (head_year - 3 + rng.below(7) as i32).min(2000),
                    1 + rng.below(12) as u32,
                    1 + rng.below(28) as u32,
                ),
                party: "否",
                representative: false,
                committee: "",
                status: status(&mut rng),
            });
        }
        for _ in 1..extra {
            let male = rng.below(2) == 0;
            let year = (head_year + 20 + rng.below(12) as i32).min(2024);
            members.push(Villager {
                household: hh.clone(),
                name: format!("{surname}{}", given(&mut rng, male)),
                relation: if male { "子" } else { "女" },
                male,
                birth: (year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32),
                party: "否",
                representative: false,
                committee: "",
                status: status(&mut rng),
            });
        }
        // Names are unique within a household (the roster requires it).
        let mut seen = std::collections::BTreeSet::new();
        members.retain(|m| seen.insert(m.name.clone()));
        out.extend(members);
    }
    // Offices go to active adults born 1950–1990, chosen deterministically.
    let eligible: Vec<usize> = (0..out.len())
        .filter(|&i| out[i].status != "迁出" && (1950..=1990).contains(&out[i].birth.0))
        .collect();
    if eligible.len() < OFFICES {
        return Err(eligible.len());
    }
    let mut order = eligible.clone();
    for i in (1..order.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    let mut it = order.into_iter();
    // 3 people on both committees, 2 branch-only, 2 village-only.
    for c in ["两委", "两委", "两委", "支委", "支委", "村委", "村委"] {
        let i = it.next().expect("enough villagers");
        out[i].committee = c;
        out[i].status = "在村";
        if c != "村委" {
            out[i].party = "是";
        }
    }
    let party_so_far = out.iter().filter(|v| v.party == "是").count();
    for _ in party_so_far..43 {
        let i = it.next().expect("enough villagers");
        out[i].party = "是";
    }
    for _ in 0..2 {
        let i = it.next().expect("enough villagers");
        out[i].party = "预备";
    }
    for _ in 0..28 {
        let i = it.next().expect("enough villagers");
        out[i].representative = true;
        out[i].status = "在村";
    }
    Ok(out)
}

/// The roster CSV (UTF-8, Chinese headers), as a secretary would export it.
pub fn roster_csv(people: &[Villager]) -> String {
    let mut s = String::from("户号,姓名,与户主关系,性别,出生日期,党员,村民代表,两委,状态\n");
    for v in people {
        s += &format!(
            "{},{},{},{},{:04}-{:02}-{:02},{},{},{},{}\n",
            v.household,
            v.name,
            v.relation,
            if v.male { "男" } else { "女" },
            v.birth.0,
            v.birth.1,
            v.birth.2,
            v.party,
            if v.representative { "是" } else { "否" },
            v.committee,
            v.status
        );
    }
    s
}

/// Whether `p` is 18 or older on `date` (`YYYY-MM-DD`; an unreadable date: not known to be).
fn adult_on(p: &Villager, date: &str) -> bool {
    let mut parts = date.splitn(3, '-').map(|x| x.parse::<u32>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d))) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (by, bm, bd) = p.birth;
    let age = y as i32 - by - i32::from((m, d) < (bm, bd));
    age >= 18
}

/// Consent rows for every active household: the head signs (or a household member),
/// 20 households to a sheet page; `objector` objects with a reason.
pub fn consent_csv(
    people: &[Villager],
    collector: &str,
    date: &str,
    objector: Option<(&str, &str)>,
) -> String {
    consent_csv_on(people, collector, date, objector, None)
}

/// [`consent_csv`], each household on the page of the printed 民议 sheet that lists it
/// (`pages`, from `paper::consultation_sheet_pages`), else 20 to a page.
pub fn consent_csv_on(
    people: &[Villager],
    collector: &str,
    date: &str,
    objector: Option<(&str, &str)>,
    pages: Option<&std::collections::BTreeMap<String, u32>>,
) -> String {
    let mut s = String::from("户号,签字人,意见,理由,方式,征求人,日期,页码\n");
    // People come grouped by household (`village` writes them so): one pass, not one scan
    // of the whole village per household.
    let households = people
        .chunk_by(|a, b| a.household == b.household)
        .map(|members| {
            members
                .iter()
                .filter(|p| p.status != "迁出")
                .collect::<Vec<&Villager>>()
        })
        .filter(|m| !m.is_empty());
    for (i, members) in households.enumerate() {
        let hh = &members[0].household;
        let head = members
            .iter()
            .find(|p| p.relation == "户主")
            .copied()
            .unwrap_or(members[0]);
        let (signer, method) = if head.status == "外出" {
            // Another adult at home signs for the household (a child cannot).
            match members
                .iter()
                .find(|p| p.status == "在村" && adult_on(p, date))
            {
                Some(m) => (m.name.as_str(), "同户代签"),
                None => (head.name.as_str(), "远程确认"),
            }
        } else {
            (head.name.as_str(), "在场")
        };
        let page = pages
            .and_then(|p| p.get(hh.as_str()).copied())
            .unwrap_or(i as u32 / 20 + 1);
        match objector {
            Some((h, reason)) if h == hh.as_str() => {
                s += &format!("{hh},{signer},反对,{reason},{method},{collector},{date},{page}\n")
            }
            _ => s += &format!("{hh},{signer},同意,,{method},{collector},{date},{page}\n"),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_village_has_the_promised_shape() {
        let v = village(VillageSpec::default());
        let active_households: std::collections::BTreeSet<_> = v
            .iter()
            .filter(|p| p.status != "迁出")
            .map(|p| p.household.clone())
            .collect();
        assert_eq!(active_households.len(), 365);
        assert!((780..=920).contains(&v.len()), "{} villagers", v.len());
        assert_eq!(v.iter().filter(|p| p.party == "是").count(), 43);
        assert_eq!(v.iter().filter(|p| p.party == "预备").count(), 2);
        assert_eq!(v.iter().filter(|p| p.representative).count(), 28);
        assert_eq!(v.iter().filter(|p| !p.committee.is_empty()).count(), 7);
        // Deterministic.
        assert_eq!(roster_csv(&v), roster_csv(&village(VillageSpec::default())));
    }
}

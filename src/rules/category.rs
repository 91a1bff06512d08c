//! Matter categories (组织法 2025 Art. 28, 2018 Art. 24, and the land laws), with their
//! stored spellings and Chinese labels.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    VillagePlanning,
    LostWorkSubsidy,
    CollectiveIncomeUse,
    PublicWorks,
    Assistance,
    LandContract,
    Homestead,
    LandCompensation,
    CollectiveAsset,
    Other,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::VillagePlanning,
        Category::LostWorkSubsidy,
        Category::CollectiveIncomeUse,
        Category::PublicWorks,
        Category::Assistance,
        Category::LandContract,
        Category::Homestead,
        Category::LandCompensation,
        Category::CollectiveAsset,
        Category::Other,
    ];

    /// The stored spelling (also accepted on the command line).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::VillagePlanning => "village_planning",
            Category::LostWorkSubsidy => "lost_work_subsidy",
            Category::CollectiveIncomeUse => "collective_income_use",
            Category::PublicWorks => "public_works",
            Category::Assistance => "assistance",
            Category::LandContract => "land_contract",
            Category::Homestead => "homestead",
            Category::LandCompensation => "land_compensation",
            Category::CollectiveAsset => "collective_asset",
            Category::Other => "other",
        }
    }

    /// The Chinese label, as printed on notices.
    pub fn label_zh(self) -> &'static str {
        match self {
            Category::VillagePlanning => "村庄规划",
            Category::LostWorkSubsidy => "误工补贴",
            Category::CollectiveIncomeUse => "集体收益使用",
            Category::PublicWorks => "公益事业与建设项目",
            Category::Assistance => "重点帮扶",
            Category::LandContract => "土地承包经营",
            Category::Homestead => "宅基地使用",
            Category::LandCompensation => "征地补偿费使用分配",
            Category::CollectiveAsset => "集体资产处置",
            Category::Other => "其他事项",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Category::VillagePlanning => "village planning",
            Category::LostWorkSubsidy => "lost-work subsidies",
            Category::CollectiveIncomeUse => "use of collective income",
            Category::PublicWorks => "public works",
            Category::Assistance => "targeted assistance",
            Category::LandContract => "land contracting",
            Category::Homestead => "homesteads",
            Category::LandCompensation => "land compensation",
            Category::CollectiveAsset => "collective assets",
            Category::Other => "other",
        }
    }

    /// Accepts the stored spelling or the Chinese label.
    pub fn parse(s: &str) -> Option<Category> {
        let s = s.trim();
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s || c.label_zh() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
            assert_eq!(Category::parse(c.label_zh()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(Category::parse("roads"), None);
    }
}

//! Aliyun OSS regions and whether they are in mainland China (ICP applies) or not.
//! One explicit table: `oss-cn-hongkong` is *not* mainland despite its `cn-`.

use crate::config::Region;

/// Every OSS region shopgen knows, with the hosting region it belongs to.
/// Regions outside Greater China are listed as `None`: a China shop is not hosted there.
pub const OSS_REGIONS: &[(&str, Option<Region>)] = &[
    ("oss-cn-qingdao", Some(Region::Mainland)),
    ("oss-cn-beijing", Some(Region::Mainland)),
    ("oss-cn-zhangjiakou", Some(Region::Mainland)),
    ("oss-cn-huhehaote", Some(Region::Mainland)),
    ("oss-cn-wulanchabu", Some(Region::Mainland)),
    ("oss-cn-hangzhou", Some(Region::Mainland)),
    ("oss-cn-shanghai", Some(Region::Mainland)),
    ("oss-cn-shenzhen", Some(Region::Mainland)),
    ("oss-cn-heyuan", Some(Region::Mainland)),
    ("oss-cn-guangzhou", Some(Region::Mainland)),
    ("oss-cn-chengdu", Some(Region::Mainland)),
    ("oss-cn-nanjing", Some(Region::Mainland)),
    ("oss-cn-fuzhou", Some(Region::Mainland)),
    ("oss-cn-wuhan-lr", Some(Region::Mainland)),
    ("oss-cn-hongkong", Some(Region::Hongkong)),
    ("oss-ap-southeast-1", None),
    ("oss-ap-southeast-3", None),
    ("oss-ap-southeast-5", None),
    ("oss-ap-southeast-6", None),
    ("oss-ap-southeast-7", None),
    ("oss-ap-northeast-1", None),
    ("oss-ap-northeast-2", None),
    ("oss-us-west-1", None),
    ("oss-us-east-1", None),
    ("oss-eu-central-1", None),
    ("oss-eu-west-1", None),
    ("oss-me-east-1", None),
];

/// Look up an OSS region id (`oss-cn-hangzhou`; the bare `cn-hangzhou` is accepted too).
/// `Err` when the region is unknown; `Ok(None)` when it is known but outside Greater China.
pub fn oss_region(id: &str) -> Result<Option<Region>, String> {
    let full = if id.starts_with("oss-") {
        id.to_string()
    } else {
        format!("oss-{id}")
    };
    OSS_REGIONS
        .iter()
        .find(|(r, _)| *r == full)
        .map(|(_, h)| *h)
        .ok_or_else(|| format!("`{id}` is not an Aliyun OSS region shopgen knows (e.g. oss-cn-hangzhou, oss-cn-shanghai, oss-cn-hongkong)"))
}

/// The Aliyun region id used in V4 signatures: `oss-cn-hangzhou` → `cn-hangzhou`.
pub fn signing_region(id: &str) -> &str {
    id.strip_prefix("oss-").unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hong_kong_is_not_mainland() {
        assert_eq!(oss_region("oss-cn-hongkong"), Ok(Some(Region::Hongkong)));
        assert_eq!(oss_region("cn-hongkong"), Ok(Some(Region::Hongkong)));
        assert_eq!(oss_region("oss-cn-hangzhou"), Ok(Some(Region::Mainland)));
        assert_eq!(oss_region("oss-ap-southeast-1"), Ok(None));
        assert!(oss_region("oss-cn-atlantis").is_err());
        assert_eq!(signing_region("oss-cn-shanghai"), "cn-shanghai");
    }
}

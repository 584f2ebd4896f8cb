//! A best response in serialised chart data, as its code ("CR", "PR", …),
//! for `#[serde(with = "…")]` (`stats` knows nothing of serde).

use serde::{de::Error, Deserialize, Deserializer, Serializer};

use crate::stats::response::BestResponse;

pub fn serialize<S: Serializer>(response: &BestResponse, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(response.code())
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BestResponse, D::Error> {
    let code = String::deserialize(d)?;
    BestResponse::ALL
        .into_iter()
        .find(|r| r.code() == code)
        .ok_or_else(|| D::Error::custom(format!("unknown best response {code:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, Deserialize)]
    struct Bar(#[serde(with = "super")] BestResponse);

    #[test]
    fn every_response_travels_as_its_code_and_an_unknown_code_is_refused() {
        for r in BestResponse::ALL {
            let text = serde_json::to_string(&Bar(r)).unwrap();
            assert_eq!(text, format!("{:?}", r.code()));
            assert_eq!(serde_json::from_str::<Bar>(&text).unwrap(), Bar(r));
        }
        let err = serde_json::from_str::<Bar>("\"XX\"").unwrap_err();
        assert!(
            err.to_string().contains("unknown best response \"XX\""),
            "{err}"
        );
    }
}

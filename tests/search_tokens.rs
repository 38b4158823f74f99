//! One tokenizer in two languages: the theme's `search.js` reads a query exactly as the
//! build's `search::tokens` does. A table of strings (Chinese and English mixed, full-width
//! forms, Traditional characters, punctuation, emoji, SKUs, accented Latin) goes through both
//! — the script under node, with the whole fold table — and the tokens, their shard keys and
//! their shards must be identical. Fails, never skips, without node.

use std::process::Command;

use serde_json::{Value, json};
use shopgen::search::{fold, tokens};

const TABLE: &[&str] = &[
    "托特",
    "托特包",
    "包",
    "真皮托特包 Leather Tote",
    "錢包",
    "錢包 钱包 銭包",
    "香港・九龍　尖沙咀",
    "Ｔｏｔｅ　ＢＡＧ！",
    "ＳＣ－Ｗ－１００１",
    "SC-W-1001-BK-L",
    "sku-sna-000001",
    "v2.1 A4/B5 t-shirt",
    "-leading- trailing- --x--",
    "3.5mm 100ml 24小时发货",
    "🎁礼盒😀 gift🎁box",
    "👜👜👜",
    "Crème brûlée Ærø ÜBER straße",
    "İstanbul ΣΊΣΥΦΟΣ",
    "tuote tuo te zpttb",
    "「限量」《经典》——复古！？",
    "日本の財布 한국 지갑",
    "𠀀𠀁 CJK Ext B",
    "a",
    "",
    "   ",
    "x×y÷z",
    "iPhone15 Pro-Max",
    "#hash tag#",
    "臺灣 台湾 裡面 里面 綫 线",
];

fn rust_side() -> Value {
    Value::Array(
        TABLE
            .iter()
            .map(|s| {
                Value::Array(
                    tokens::query(s)
                        .iter()
                        .map(|t| {
                            let kind = match t.kind {
                                tokens::Kind::Word => "w",
                                tokens::Kind::Cjk => "c",
                                tokens::Kind::Sku => "s",
                            };
                            let term = t.term();
                            let key = tokens::key(&term);
                            json!([
                                kind,
                                t.text,
                                key,
                                tokens::bucket(key, 64),
                                tokens::bucket(key, 1024)
                            ])
                        })
                        .collect(),
                )
            })
            .collect(),
    )
}

const NODE: &str = r#"
const fs = require('fs'), vm = require('vm');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const sandbox = {};
vm.runInNewContext(fs.readFileSync(input.script, 'utf8'), sandbox);
const s = sandbox.shopgenSearch;
const out = input.table.map(text => s.query(text, input.fold).map(t => {
  const key = s.key(s.term(t));
  return [t.k, t.t, key, s.bucket(key, 64), s.bucket(key, 1024)];
}));
process.stdout.write(JSON.stringify(out));
"#;

#[test]
fn the_browser_reads_a_query_as_the_build_does() {
    let fold: serde_json::Map<String, Value> = fold::pairs()
        .map(|(t, s)| (t.to_string(), Value::String(s.to_string())))
        .collect();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/meigong/assets/js/search.js");
    let input = json!({ "script": script, "fold": fold, "table": TABLE });
    let mut child = Command::new("node")
        .args(["-e", NODE])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node runs the theme's search script (install Node.js)");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.to_string().as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed");
    let js: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rust = rust_side();
    for (i, text) in TABLE.iter().enumerate() {
        assert_eq!(
            rust[i], js[i],
            "tokens of {text:?}: Rust (left) and JavaScript (right)"
        );
    }
    // The table means something: each kind of token is in it.
    let all = rust.to_string();
    for kind in ["\"w\"", "\"c\"", "\"s\""] {
        assert!(all.contains(kind), "{kind}");
    }
    assert!(
        rust[4].to_string().contains("钱包"),
        "錢包 folds: {}",
        rust[4]
    );
}

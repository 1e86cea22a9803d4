//! Compiles every `locales/<tag>/panda.ftl` into the binary, so adding a language is adding a
//! folder. The default language, en-GB, comes first.

use std::fmt::Write as _;

fn main() {
    println!("cargo:rerun-if-changed=locales");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut tags: Vec<String> = std::fs::read_dir(&root)
        .expect("read locales/")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("panda.ftl").is_file())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    tags.sort_by_key(|tag| (tag != "en-GB", tag.clone()));
    assert_eq!(
        tags.first().map(String::as_str),
        Some("en-GB"),
        "locales/en-GB/panda.ftl is the default and must exist"
    );
    let mut out = String::from("/// Every shipped language and its messages; the first is the default.\npub const LOCALES: &[(&str, &str)] = &[\n");
    for tag in &tags {
        println!("cargo:rerun-if-changed=locales/{tag}/panda.ftl");
        let path = root.join(tag).join("panda.ftl");
        writeln!(out, "    ({tag:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("locales.rs");
    std::fs::write(dest, out).expect("write locales.rs");
}

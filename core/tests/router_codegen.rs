//! The Python router's per-kind `on` overloads are generated from the kind table (the
//! `router overloads` section of `_router.py`; its freshness is checked with every other
//! generated output in `generated.rs`).

use primevox_webhooks::codegen;

#[test]
fn every_kind_has_its_overloads() {
    let block = codegen::python_router_overloads();
    for kind in primevox_webhooks::Kind::ALL {
        let lit = format!("Literal[\"{}\"]", kind.as_str());
        assert_eq!(block.matches(&lit).count(), 2, "{lit}");
        assert!(block.contains(&format!("Callable[[{}], _R]", kind.class_name())));
    }
}

#[test]
fn the_router_section_is_a_generated_output() {
    let outputs = codegen::outputs();
    let router = outputs
        .iter()
        .find(|o| o.path.ends_with("primevox_webhooks/_router.py"))
        .expect("_router.py is a codegen output");
    assert_eq!(router.text, codegen::python_router_overloads());
}

//! In-process benchmarks (criterion): paper rendering, loading the state (snapshot vs the
//! full replay it replaces), and leaf hashing. Whole commands at decade scale are timed by
//! `scripts/bench.sh`; README "Performance" has the figures.
//!
//!     cargo bench --bench scale
//!
//! The fixture is a 2,000-household village with ten matters walked through every stage
//! (about 20,000 entries), built once per run by `liuyi generate`'s code in a temp dir.

use std::hint::black_box;
use std::path::Path;

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};

use liuyi::cli::GenerateArgs;
use liuyi::cmd::Ctx;
use liuyi::i18n::Lang;
use liuyi::paper::{self, Fonts, model::Verification};
use liuyi::rules::event::NoticeKind;
use liuyi::store::Store;

fn fixture(dir: &Path) -> std::path::PathBuf {
    let ctx = Ctx {
        lang: Lang::En,
        db: dir.join("unused.db"),
        key: dir.join("unused.key"),
        now: Utc::now(),
        quiet: true,
    };
    let out = dir.join("village");
    liuyi::cmd::generate::run(
        &ctx,
        &GenerateArgs {
            households: 2000,
            years: 1,
            matters: 10,
            scans_mb: 0,
            villages: 1,
            start_year: 2016,
            seed: 2026,
            open_consultation: true,
            out: out.clone(),
        },
    )
    .expect("generate");
    out.join("liuyi.db")
}

fn benches(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let db = fixture(tmp.path());
    let store = Store::open(&db).expect("open");
    let full = liuyi::check::load(&store).expect("replay");
    let fonts = Fonts::bundled();
    let at = Verification {
        origin: full.state.origin().unwrap_or_default().to_string(),
        log_size: full.state.size,
        root_hex: hex::encode(full.range.root()),
    };
    let done = full
        .state
        .matters
        .values()
        .find(|m| m.published(NoticeKind::Resolution).is_some())
        .expect("a published matter");
    let ev = done
        .published(NoticeKind::Resolution)
        .expect("published")
        .clone();
    let open = full
        .state
        .matters
        .values()
        .find(|m| m.stage == liuyi::rules::Stage::Consultation)
        .expect("an open consultation")
        .id
        .clone();

    let mut g = c.benchmark_group("paper");
    g.sample_size(20);
    g.bench_function("resolution notice", |b| {
        b.iter(|| {
            liuyi::notice::render_publish(
                &full.state,
                black_box(&ev),
                at.clone(),
                &fonts,
                liuyi::paper::TemplateVersion::CURRENT,
            )
            .expect("render")
        })
    });
    g.bench_function("consultation sheet, 2000 households", |b| {
        b.iter(|| {
            let sheet =
                liuyi::notice::consultation_sheet(&full.state, &open, at.clone()).expect("sheet");
            paper::render_consultation_sheet(&sheet, &fonts).expect("render")
        })
    });
    g.finish();

    let mut g = c.benchmark_group("state");
    g.sample_size(10);
    g.bench_function("snapshot load (what a command does)", |b| {
        b.iter(|| {
            liuyi::snapshot::load(&store, &[open.as_str()], None)
                .expect("load")
                .expect("snapshot usable")
        })
    });
    g.bench_function("full replay (the floor it replaces)", |b| {
        b.iter(|| liuyi::check::load(&store).expect("replay"))
    });
    // What `check` does for each matter as it closes: the digest of its snapshot row,
    // which carries every consent record of its rounds.
    g.bench_function("matter row digest, 2000 households", |b| {
        b.iter(|| liuyi::snapshot::matter_row_digest(black_box(done)))
    });
    g.finish();

    let data = vec![0x5au8; 1 << 20];
    let mut g = c.benchmark_group("hash");
    g.throughput(criterion::Throughput::Bytes(data.len() as u64));
    g.bench_function("leaf hash, 1 MiB", |b| {
        b.iter(|| liuyi::record::merkle::leaf_hash(black_box(&data)))
    });
    g.finish();
}

criterion_group!(scale, benches);
criterion_main!(scale);

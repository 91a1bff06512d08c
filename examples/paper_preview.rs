//! Writes sample PDFs of all five paper documents into `target/paper-preview/`, with the time
//! each took and its size, so anyone can look at them:
//!
//!     cargo run --release --example paper_preview
//!     pdftoppm -r 60 -png target/paper-preview/resolution_notice.pdf /tmp/resolution

use std::time::Instant;

use liuyi::paper::{self, Fonts, samples};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/paper-preview");
    std::fs::create_dir_all(&dir)?;
    let t = Instant::now();
    let fonts = Fonts::bundled();
    println!(
        "fonts loaded in {:?}: {}",
        t.elapsed(),
        paper::render_version(&fonts)
    );
    type Render = Box<dyn Fn(&Fonts) -> Result<Vec<u8>, paper::PaperError>>;
    let docs: Vec<(&str, Render)> = vec![
        (
            "resolution_notice",
            Box::new(|f| paper::render_resolution_notice(&samples::resolution_notice(), f)),
        ),
        (
            "result_notice",
            Box::new(|f| paper::render_result_notice(&samples::result_notice(), f)),
        ),
        (
            "consultation_sheet",
            Box::new(|f| paper::render_consultation_sheet(&samples::consultation_sheet(), f)),
        ),
        (
            "motion_receipt",
            Box::new(|f| paper::render_motion_receipt(&samples::motion_receipt(), f)),
        ),
        (
            "signin_sheet",
            Box::new(|f| paper::render_signin_sheet(&samples::signin_sheet(), f)),
        ),
    ];
    for (name, render) in docs {
        let t = Instant::now();
        let bytes = render(&fonts)?;
        let took = t.elapsed();
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &bytes)?;
        println!(
            "{name}: {:.1} KB in {took:?} -> {}",
            bytes.len() as f64 / 1024.0,
            path.display()
        );
    }
    Ok(())
}

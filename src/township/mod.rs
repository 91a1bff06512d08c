//! The township's witness (SPEC §6): its own key and a small register of villages.
//! (filled in below)

#[derive(Debug)]
pub enum TownshipUsage {
    NotInitialised(std::path::PathBuf),
}

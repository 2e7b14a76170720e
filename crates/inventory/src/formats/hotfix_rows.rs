//! What the rows of a hotfix listing (`wmic qfe`, `Get-HotFix`) held that is
//! said in notes: shared by both parsers so their notes read alike.
use super::qfe::{parse_installed_on, DateOrder, DateRead};
use crate::{Facts, Hotfix};
use w2k8_core::Date;

/// Counts kept while reading the rows of a hotfix listing.
#[derive(Default)]
pub(super) struct RowTally {
    /// Install dates read in a guessed day/month order.
    ambiguous: usize,
    /// The first three unreadable install dates.
    unreadable: Vec<String>,
    /// Hotfixes beyond [`crate::MAX_HOTFIX_ENTRIES`].
    over_cap: usize,
    /// Rows without a HotFixID.
    empty_ids: usize,
}

impl RowTally {
    /// Counts a row skipped for having no HotFixID.
    pub(super) fn skip_empty_id(&mut self) {
        self.empty_ids += 1;
    }

    /// Reads an `InstalledOn` value, counting guessed and unreadable dates.
    pub(super) fn installed_on(&mut self, raw_date: &str, order: DateOrder) -> Option<Date> {
        match parse_installed_on(raw_date, order) {
            DateRead::Date(d) => Some(d),
            DateRead::Ambiguous(d) => {
                self.ambiguous += 1;
                Some(d)
            }
            DateRead::Empty => None,
            DateRead::Unreadable => {
                if self.unreadable.len() < 3 {
                    self.unreadable.push(raw_date.to_string());
                }
                None
            }
        }
    }

    /// Keeps `hotfix` in `facts`, counting it when it is past the cap.
    pub(super) fn keep(&mut self, facts: &mut Facts, hotfix: Hotfix) {
        if !facts.keep_hotfix(hotfix) {
            self.over_cap += 1;
        }
    }

    /// The notes on rows without an id, install dates and hotfixes over the cap.
    pub(super) fn note(&self, facts: &mut Facts) {
        if self.empty_ids > 0 {
            facts.notes.push(format!("{} row(s) without a HotFixID were skipped", self.empty_ids));
        }
        facts.note_install_dates(self.ambiguous, &self.unreadable);
        facts.note_hotfixes_over_cap(self.over_cap);
    }
}

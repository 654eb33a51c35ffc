//! The scenarios shipped inside the binary, so `ttx` works from any directory.

/// A bundled scenario: its file name and text.
pub struct Bundled {
    pub file: &'static str,
    pub text: &'static str,
}

pub const ALL: &[Bundled] = &[
    Bundled {
        file: "dropper-0330.ron",
        text: include_str!("../../scenarios/dropper-0330.ron"),
    },
    Bundled {
        file: "bob-saas-weekend.ron",
        text: include_str!("../../scenarios/bob-saas-weekend.ron"),
    },
    Bundled {
        file: "dfir-wiped-logs.ron",
        text: include_str!("../../scenarios/dfir-wiped-logs.ron"),
    },
    Bundled {
        file: "franchise-crm.ron",
        text: include_str!("../../scenarios/franchise-crm.ron"),
    },
    Bundled {
        file: "hunt-table-game.ron",
        text: include_str!("../../scenarios/hunt-table-game.ron"),
    },
    Bundled {
        file: "supplier-update.ron",
        text: include_str!("../../scenarios/supplier-update.ron"),
    },
];

/// Finds a bundled scenario by id (`dropper-0330`) or file name (`dropper-0330.ron`).
pub fn find(name: &str) -> Option<&'static Bundled> {
    let stem = name.strip_suffix(".ron").unwrap_or(name);
    ALL.iter()
        .find(|b| b.file.strip_suffix(".ron").unwrap_or(b.file) == stem)
}

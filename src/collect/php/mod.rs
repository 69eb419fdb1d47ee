//! PHP: Composer's `composer.lock`, with `composer.json` for the project's direct requirements.

mod composer_lock;

pub use composer_lock::ComposerLock;

/// Requirements that name the platform (PHP itself, extensions, libraries, Composer's APIs),
/// not packages.
pub fn is_platform(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "php"
            | "php-64bit"
            | "php-ipv6"
            | "php-zts"
            | "php-debug"
            | "hhvm"
            | "composer"
            | "composer-plugin-api"
            | "composer-runtime-api"
    ) || n.starts_with("ext-")
        || n.starts_with("lib-")
}

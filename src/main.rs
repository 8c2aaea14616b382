use clap::Parser;

fn main() {
    keyless::cli::install_panic_hook();
    let cli = keyless::cli::Cli::parse();
    let status = std::panic::catch_unwind(|| keyless::cli::run(cli));
    std::process::exit(status.unwrap_or_else(|_| keyless::cli::internal_error()));
}

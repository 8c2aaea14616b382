use clap::Parser;

fn main() {
    let cli = keyless::cli::Cli::parse();
    std::process::exit(keyless::cli::run(cli));
}

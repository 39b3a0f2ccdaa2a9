#pragma once
/// @file
/// Printing the board paper to PDF as a reader's browser would: Debian's chromium,
/// headless, A4, without the browser's header and footer (the paper's own CSS sets
/// the page size, margins and page breaks).

#include <string>

namespace estate::report {

/// The browser used: $ESTATE_CHROMIUM, else the first of chromium, chromium-browser,
/// google-chrome on the PATH; empty when there is none.
std::string find_chromium();

/// Prints @p html_path to @p pdf_path (written beside it, then moved into place).
/// Throws estate::error naming what to install or what the browser said.
void print_pdf(const std::string& html_path, const std::string& pdf_path);

} // namespace estate::report

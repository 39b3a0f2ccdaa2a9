// The page's files, linked into the program by the build (libestate/CMakeLists.txt):
// index.html, app.js and app.css, served to anyone (the page logs in through the API).
#include "web/api.hpp"

#include <string_view>

#ifdef ESTATE_WEB_PAGE
extern "C" {
extern const char estate_page_index_html[], estate_page_index_html_end[];
extern const char estate_page_app_js[], estate_page_app_js_end[];
extern const char estate_page_app_css[], estate_page_app_css_end[];
}
#endif

namespace estate::web {

namespace {

struct PageFile {
    std::string_view path, content_type, bytes;
};

const std::vector<PageFile>& page_files() {
#ifdef ESTATE_WEB_PAGE
    static const std::vector<PageFile> files = {
        {"/",
         "text/html; charset=utf-8",
         {estate_page_index_html, size_t(estate_page_index_html_end - estate_page_index_html)}},
        {"/app.js",
         "text/javascript; charset=utf-8",
         {estate_page_app_js, size_t(estate_page_app_js_end - estate_page_app_js)}},
        {"/app.css",
         "text/css; charset=utf-8",
         {estate_page_app_css, size_t(estate_page_app_css_end - estate_page_app_css)}},
    };
#else
    // Built with -DESTATE_WEB_PAGE=OFF: the API works, the page says how to get it.
    static const std::vector<PageFile> files = {
        {"/", "text/plain; charset=utf-8",
         "This estate was built without its web page (-DESTATE_WEB_PAGE=OFF): the JSON API of docs/api.md "
         "works; build with node and npm installed for the page.\n"},
    };
#endif
    return files;
}

} // namespace

std::optional<Response> page_file(Call& c) {
    if (c.rq.method() != http::verb::get && c.rq.method() != http::verb::head) return std::nullopt;
    const std::string path = c.path == "/index.html" ? "/" : c.path;
    if (path == "/favicon.ico") { // browsers ask; there is none, and that is not an error
        Response r = ok_response(c.rq, "image/x-icon", "");
        r.result(http::status::no_content);
        return r;
    }
    for (const auto& f : page_files())
        if (f.path == path) {
            Response r = ok_response(c.rq, std::string(f.content_type), std::string(f.bytes));
            // The files change only with the program: the browser asks again each time
            // (cheap on one machine), so an upgrade is never half old, half new.
            r.set(http::field::cache_control, "no-cache");
            return r;
        }
    return std::nullopt;
}

} // namespace estate::web

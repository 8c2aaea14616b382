-- End-to-end check with Neovim's built-in LSP client (0.7 and later): starts `keyless server`,
-- opens a file, waits for its diagnostics and writes `vim.diagnostic.get()` as JSON.
-- Run by .ci/nvim_e2e.sh: nvim --headless --clean -c "luafile tests/nvim/e2e.lua"
local bin = os.getenv("KEYLESS_BIN")
local file = os.getenv("KEYLESS_NVIM_FILE")
local out = os.getenv("KEYLESS_NVIM_OUT")

local function finish(result)
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qall!")
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
-- vim.lsp.start (0.8+) is what the README shows; start_client + buf_attach_client works on 0.7 too
local client_id = vim.lsp.start_client({
  name = "keyless",
  cmd = { bin, "server" },
  root_dir = vim.fn.fnamemodify(file, ":p:h"),
})
if not client_id then
  finish({ error = "the client did not start" })
  return
end
vim.lsp.buf_attach_client(buf, client_id)
local got = vim.wait(30000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local diagnostics = vim.diagnostic.get(buf)
local result = { waited = got, diagnostics = {} }
for _, d in ipairs(diagnostics) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(result.diagnostics, {
    lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
    severity = d.severity, source = d.source, message = d.message,
    code = d.code or lsp.code,
  })
end
vim.lsp.stop_client(client_id)
finish(result)

-- End-to-end check with Neovim's built-in LSP client (0.7 and later): runs the README's snippet
-- for this version, which starts `keyless server` when the file is opened, waits for the file's
-- diagnostics and writes `vim.diagnostic.get()` as JSON.
-- Run by .ci/nvim_e2e.sh: nvim --headless --clean -c "luafile tests/nvim/e2e.lua"
local file = os.getenv("KEYLESS_NVIM_FILE")
local out = os.getenv("KEYLESS_NVIM_OUT")

local function finish(result)
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qall!")
end

-- The README's snippet for this Neovim (extracted by .ci/nvim_e2e.sh; `keyless` is on PATH): its
-- FileType autocommand starts the server and attaches it when the file is opened.
dofile(os.getenv("KEYLESS_NVIM_INIT"))
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
-- A client is listed once the server has answered `initialize`.
local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients
vim.wait(30000, function()
  return #get_clients() > 0
end, 50)
local clients = get_clients()
if #clients == 0 then
  finish({ error = "the README's snippet started no client" })
  return
end
local client_id = clients[1].id
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

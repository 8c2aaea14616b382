param prod bool
param storageKey string
var branch = prod ? storageKey : 'UseDevelopmentStorage=true'
var both = prod ? '<storage-account-key>' : '$(StorageKey)'
var args = concat(storageKey, ';', toLower(storageKey))
var interp = '${storageKey} ${toLower('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==')}'
output n int = length(branch) + length(both) + length(args) + length(interp)

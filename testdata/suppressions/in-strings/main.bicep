// `keyless:ignore` inside a string is string content, not a comment: it suppresses nothing.
var note = '''
// keyless:ignore KEY,CONN -- inside a multi-line string
'''
var dbPassword = 'Fake-InStr-Bicep-Pa55'
var other = 'see // keyless:ignore KEY,CONN -- inside a string'
var adminPassword = 'Fake-InStr-Bicep-Pa55'

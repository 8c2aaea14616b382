// A syntax error further down: what parsed before it is still checked.
@secure()
param adminPassword string = 'Fake-Recover-Bicep-Pa55'

var settings = {
  name: 'app'
  broken:
}

param dbPassword string = 'Fake-Recover-Bicep-Pa55'

var common = {
  region: 'westeurope'
}

var settings = union(common, {
  adminPassword: 'Fake-Union-Pa55word!'
})

var text = string({
  clientSecret: 'Fake~8Q~str1ng.s3cret-val'
})

output region string = settings.region
output size int = length(text)

param storageName string = 'inputaccount01'
param inputStorage string = 'jk6ulHZPmH/8LOsL3V2ugRddskyBdAkarAd9e+NR+bDZ8H2UEw5sknjuDHnVU6NdU0K4OiokSYj/QKNyMLLktw=='

output name string = storageName

param prod bool
param name string
var branch = prod ? 'os+yhdy5mgRpvTqaqVUUakoXLkTFnuN0smXUtOqMjpsxb5oIfgh3OvHcEFYLpHz73xDigPAvq8cb+AStxCICLQ==' : 'UseDevelopmentStorage=true'
var both = prod ? 'os+yhdy5mgRpvTqaqVUUakoXLkTFnuN0smXUtOqMjpsxb5oIfgh3OvHcEFYLpHz73xDigPAvq8cb+AStxCICLQ==' : 'os+yhdy5mgRpvTqaqVUUakoXLkTFnuN0smXUtOqMjpsxb5oIfgh3OvHcEFYLpHz73xDigPAvq8cb+AStxCICLQ=='
var args = concat('1lMn7/hlyjX1C3RH3AAmuxySPyYZeK/z8+ASbP8EBks=', ';', toLower('1lMn7/hlyjX1C3RH3AAmuxySPyYZeK/z8+ASbP8EBks='))
var interp = '${name} os+yhdy5mgRpvTqaqVUUakoXLkTFnuN0smXUtOqMjpsxb5oIfgh3OvHcEFYLpHz73xDigPAvq8cb+AStxCICLQ== ${toLower('1lMn7/hlyjX1C3RH3AAmuxySPyYZeK/z8+ASbP8EBks=')}'
var items = [
  prod ? { k: 'os+yhdy5mgRpvTqaqVUUakoXLkTFnuN0smXUtOqMjpsxb5oIfgh3OvHcEFYLpHz73xDigPAvq8cb+AStxCICLQ==' } : { k: 'none' }
]
output n int = length(branch) + length(both) + length(args) + length(interp) + length(items)

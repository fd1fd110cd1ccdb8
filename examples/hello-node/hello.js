// Dispatch's hello world: greets the name and the place of its input.
module.exports = function (context, payload) {
  const name = (payload && payload.name) || 'Noone';
  const place = (payload && payload.place) || 'Nowhere';
  console.log(`greeting ${name}`); // lands in the run's logs
  return { myField: `Hello, ${name} from ${place}` };
};

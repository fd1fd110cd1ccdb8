// Greets the name and the place of its input; the seed file declares what both must look like.
module.exports = function (context, payload) {
  return { myField: `Hello, ${payload.name} from ${payload.place || 'Nowhere'}` };
};

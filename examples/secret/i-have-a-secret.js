// Reads a value of the secrets the function names: they reach it merged in context.secrets.
module.exports = function (context, payload) {
  const who = (payload && payload.name) || 'Stranger';
  const password = context.secrets && context.secrets.password;
  if (password === undefined) return { message: `${who}, I know nothing` };
  return { message: `${who}, the password is ${password}` };
};

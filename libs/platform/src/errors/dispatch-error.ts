// DispatchError lives in the contracts, so clients (the CLI, the SDK) can raise and recognise it
// without the platform; the platform's own importers keep importing it from here.
export { DispatchError, HTTP_STATUS_OF } from '@dispatch/contracts';

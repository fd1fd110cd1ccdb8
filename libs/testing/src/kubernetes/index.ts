export * from './fake-kube-api';
export * from './kube-config';
export { MAX_SECRET_SIZE, TOTAL_ANNOTATION_SIZE_LIMIT, type StatusCause } from './apiserver-validation';

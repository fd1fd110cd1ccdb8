import { describeTestOnlyHelpers } from '@dispatch/testing/test-only-helpers';

describeTestOnlyHelpers('persistence', __dirname);

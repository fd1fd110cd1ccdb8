import { describeTestOnlyHelpers } from '@dispatch/testing/test-only-helpers';

describeTestOnlyHelpers('bus', __dirname);

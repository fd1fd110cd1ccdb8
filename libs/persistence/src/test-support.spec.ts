import { describeTestSupportIsolation } from '@dispatch/testing';

describeTestSupportIsolation('persistence', __dirname);

import { describeTestSupportIsolation } from '@dispatch/testing';

describeTestSupportIsolation('bus', __dirname);

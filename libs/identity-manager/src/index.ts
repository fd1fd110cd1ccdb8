export * from './identity-manager.module';
export * from './identity-config';
export * from './persistence/schema';
export { IamService } from './domain/iam.service';

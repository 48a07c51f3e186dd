import { Testing } from 'cdktf';
import { registerOfflineTerraformMatchers } from './terraform-matchers';

// cdktf's own matchers: toHaveResource, toHaveResourceWithProperties, ...
Testing.setupJest();
// Then ours, which replace cdktf's toBeValidTerraform / toPlanSuccessfully: cdktf's run
// `terraform init` against the public registry with the machine's CLI config.
registerOfflineTerraformMatchers();

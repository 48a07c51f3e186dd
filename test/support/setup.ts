import { Testing } from 'cdktf';
import './terraform-matchers';

// cdktf's own matchers: toHaveResource, toHaveResourceWithProperties, ...
Testing.setupJest();
